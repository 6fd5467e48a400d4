// "Contact us": a dialog asking for a subject and the first message; opening the
// consultation hands it to the caller (which navigates to it).
import { useRef, useState, type FormEvent } from 'react';
import { errorMessage, fieldErrors } from '../../api/errors';
import { openConsultation } from '../../api/support';
import type { Consultation, Organization } from '../../api/types';
import { Button } from '../Button';
import { Modal } from '../chat/Modal';
import { TextAreaField } from '../Field';

export function ContactDialog({
  org,
  onClose,
  onOpened,
}: {
  org: Organization;
  onClose: () => void;
  onOpened: (consultation: Consultation) => void;
}) {
  const first = useRef<HTMLInputElement>(null);
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [local, setLocal] = useState<{ subject?: string; text?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);
  const subjectError = local.subject ?? fields.subject;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const checks = {
      subject: subject.trim() ? undefined : 'Say what it is about.',
      text: text.trim() ? undefined : 'Write your question.',
    };
    setLocal(checks);
    setError(null);
    if (checks.subject || checks.text) return;
    setBusy(true);
    try {
      onOpened(await openConsultation(org.slug, subject.trim(), text.trim()));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Modal title={`Contact ${org.name}`} onClose={onClose} initialFocus={first}>
      <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate>
        <div className="field" data-invalid={subjectError ? 'true' : undefined}>
          <label htmlFor="contact-subject">Subject</label>
          <input
            ref={first}
            id="contact-subject"
            type="text"
            name="subject"
            value={subject}
            maxLength={200}
            onChange={(e) => setSubject(e.target.value)}
            aria-invalid={subjectError ? true : undefined}
            aria-describedby={subjectError ? 'contact-subject-error' : undefined}
            required
          />
          {subjectError ? (
            <span id="contact-subject-error" className="field-error">
              {subjectError}
            </span>
          ) : null}
        </div>
        <TextAreaField
          label="Your message"
          name="text"
          value={text}
          maxLength={4000}
          rows={4}
          onChange={(e) => setText(e.target.value)}
          error={local.text ?? fields.text}
          required
        />
        {error && Object.keys(fields).length === 0 ? (
          <p className="error-banner" role="alert">
            {errorMessage(error)}
          </p>
        ) : null}
        <div className="row chat-dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Start consultation
          </Button>
        </div>
      </form>
    </Modal>
  );
}
