// Settings, agents: the FAQ editor. Add an entry (question, answer), edit one (question,
// answer, position), move one up or down (the list is renumbered, support/faqOrder.ts),
// delete one.
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage, fieldErrors } from '../../api/errors';
import { createFaq, deleteFaq, updateFaq } from '../../api/support';
import type { Faq, Organization } from '../../api/types';
import { applyPositions, moveFaq } from '../../support/faqOrder';
import { allFaqsKey, faqsKey } from '../../support/keys';
import { useFaqs } from '../../support/useOrg';
import { Button } from '../Button';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { TextAreaField, TextField } from '../Field';
import { Spinner } from '../Spinner';
import { FormError } from '../FormBits';

export function FaqEditor({ org }: { org: Organization }) {
  const qc = useQueryClient();
  const faqs = useFaqs(org.slug);
  const [error, setError] = useState<unknown>(null);
  const [moving, setMoving] = useState(false);
  const items = faqs.data ?? [];

  const refresh = () => qc.invalidateQueries({ queryKey: allFaqsKey(org.slug) });

  const move = async (from: number, to: number) => {
    const patches = moveFaq(items, from, to);
    if (patches.length === 0) return;
    setMoving(true);
    setError(null);
    qc.setQueryData<Faq[]>(faqsKey(org.slug, ''), (old) => (old ? applyPositions(old, patches) : old));
    try {
      for (const p of patches) await updateFaq(org.slug, p.id, { position: p.position });
    } catch (err) {
      setError(err);
    } finally {
      setMoving(false);
      await refresh();
    }
  };

  return (
    <section className="card stack" aria-labelledby="org-faq-editor-title">
      <h2 id="org-faq-editor-title">FAQ</h2>
      {faqs.isPending ? (
        <Spinner label="Loading the FAQ" />
      ) : faqs.isError && items.length === 0 ? (
        <ErrorBanner error={faqs.error} onRetry={() => void faqs.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No questions yet">
          <p>Customers see these on your page, and can ask them inside a consultation for an instant answer.</p>
        </EmptyState>
      ) : (
        <ol className="faq-editor-list" aria-label="FAQ entries">
          {items.map((faq, index) => (
            <FaqEntry
              key={faq.id}
              org={org}
              faq={faq}
              first={index === 0}
              last={index === items.length - 1}
              moving={moving}
              onMove={(delta) => void move(index, index + delta)}
              onChanged={() => void refresh()}
            />
          ))}
        </ol>
      )}
      {error ? <ErrorBanner error={error} /> : null}
      <NewFaqForm org={org} onCreated={() => void refresh()} />
    </section>
  );
}

function FaqEntry({
  org,
  faq,
  first,
  last,
  moving,
  onMove,
  onChanged,
}: {
  org: Organization;
  faq: Faq;
  first: boolean;
  last: boolean;
  moving: boolean;
  onMove: (delta: number) => void;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteFaq(org.slug, faq.id);
      onChanged();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  if (editing) {
    return (
      <li className="faq-editor-item">
        <EditFaqForm
          org={org}
          faq={faq}
          onDone={(changed) => {
            setEditing(false);
            if (changed) onChanged();
          }}
        />
      </li>
    );
  }
  return (
    <li className="faq-editor-item">
      <div className="faq-editor-text">
        <span className="faq-question">
          <span className="muted">{faq.position}.</span> <span>{faq.question}</span>
        </span>
        <span className="faq-answer muted">{faq.answer}</span>
      </div>
      <div className="row faq-editor-actions">
        <Button className="btn-small" disabled={first || moving} onClick={() => onMove(-1)} aria-label={`Move up: ${faq.question}`}>
          ↑
        </Button>
        <Button className="btn-small" disabled={last || moving} onClick={() => onMove(1)} aria-label={`Move down: ${faq.question}`}>
          ↓
        </Button>
        <Button className="btn-small" onClick={() => setEditing(true)} aria-label={`Edit: ${faq.question}`}>
          Edit
        </Button>
        <Button className="btn-small" busy={busy} onClick={() => void remove()} aria-label={`Delete: ${faq.question}`}>
          Delete
        </Button>
      </div>
      {error ? (
        <span className="field-error" role="alert">
          {errorMessage(error)}
        </span>
      ) : null}
    </li>
  );
}

function EditFaqForm({ org, faq, onDone }: { org: Organization; faq: Faq; onDone: (changed: boolean) => void }) {
  const [question, setQuestion] = useState(faq.question);
  const [answer, setAnswer] = useState(faq.answer);
  const [position, setPosition] = useState(String(faq.position));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);
  const pos = Number(position);
  const posError = Number.isInteger(pos) && pos >= 1 ? undefined : 'A whole number, 1 or more.';

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (posError) return;
    setBusy(true);
    setError(null);
    try {
      await updateFaq(org.slug, faq.id, { question: question.trim(), answer: answer.trim(), position: pos });
      onDone(true);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void onSubmit(e)} aria-label={`Edit: ${faq.question}`} noValidate>
      <TextField label="Question" value={question} maxLength={500} onChange={(e) => setQuestion(e.target.value)} error={fields.question} />
      <TextAreaField label="Answer" value={answer} maxLength={4000} rows={3} onChange={(e) => setAnswer(e.target.value)} error={fields.answer} />
      <TextField
        label="Position"
        inputMode="numeric"
        value={position}
        onChange={(e) => setPosition(e.target.value)}
        error={posError ?? fields.position}
        hint="1 is shown first."
      />
      {Object.keys(fields).length === 0 ? <FormError error={error} /> : null}
      <div className="row">
        <Button type="submit" variant="primary" className="btn-small" busy={busy} disabled={!question.trim() || !answer.trim()}>
          Save
        </Button>
        <Button className="btn-small" onClick={() => onDone(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function NewFaqForm({ org, onCreated }: { org: Organization; onCreated: () => void }) {
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!question.trim() || !answer.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await createFaq(org.slug, { question: question.trim(), answer: answer.trim() });
      setQuestion('');
      setAnswer('');
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack faq-new" onSubmit={(e) => void onSubmit(e)} aria-label="Add a question" noValidate>
      <h3>Add a question</h3>
      <TextField label="Question" value={question} maxLength={500} onChange={(e) => setQuestion(e.target.value)} error={fields.question} />
      <TextAreaField label="Answer" value={answer} maxLength={4000} rows={3} onChange={(e) => setAnswer(e.target.value)} error={fields.answer} />
      {Object.keys(fields).length === 0 ? <FormError error={error} /> : null}
      <div className="row">
        <Button type="submit" variant="primary" busy={busy} disabled={!question.trim() || !answer.trim()}>
          Add question
        </Button>
      </div>
    </form>
  );
}
