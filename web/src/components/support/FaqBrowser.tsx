// The FAQ of an organization with a search box (question and answer, any script). Shown as
// questions that open to their answers on the organization's page, or, with `onPick`
// (inside a consultation), as questions to ask: picking one posts it and the organization
// answers at once.
import { useId, useState } from 'react';
import type { Faq } from '../../api/types';
import { useDebounced } from '../../support/useDebounced';
import { useFaqs } from '../../support/useOrg';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { Spinner } from '../Spinner';

export function FaqBrowser({
  slug,
  onPick,
  busyId = null,
}: {
  slug: string;
  onPick?: (faq: Faq) => void;
  /** The entry being asked (its button is disabled meanwhile). */
  busyId?: string | null;
}) {
  const id = useId();
  const [input, setInput] = useState('');
  const term = useDebounced(input.trim(), 250);
  const faqs = useFaqs(slug, term);
  const items = faqs.data ?? [];

  return (
    <div className="stack faq-browser">
      <div className="field">
        <label htmlFor={`${id}-q`} className="visually-hidden">
          Search the FAQ
        </label>
        <input
          id={`${id}-q`}
          type="search"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          placeholder="Search the FAQ"
          autoComplete="off"
          maxLength={100}
        />
      </div>
      {faqs.isPending ? (
        <Spinner label="Loading the FAQ" />
      ) : faqs.isError && items.length === 0 ? (
        <ErrorBanner error={faqs.error} onRetry={() => void faqs.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={term ? `No questions match “${term}”` : 'No questions yet'} />
      ) : (
        <ul className="faq-list" aria-label="Questions" aria-busy={faqs.isPlaceholderData || undefined}>
          {items.map((faq) => (
            <li key={faq.id} className="faq-item">
              {onPick ? (
                <button
                  type="button"
                  className="faq-pick"
                  onClick={() => onPick(faq)}
                  disabled={busyId !== null}
                  aria-busy={busyId === faq.id || undefined}
                >
                  {faq.question}
                </button>
              ) : (
                <details>
                  <summary className="faq-question">{faq.question}</summary>
                  <p className="faq-answer">{faq.answer}</p>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
