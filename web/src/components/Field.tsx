// Labelled form fields with their error (and hint) beside them, wired for screen readers
// via aria-invalid / aria-describedby.
import { useId, type InputHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldBits {
  label: string;
  error?: string;
  hint?: string;
}

function describedBy(id: string, error?: string, hint?: string): string | undefined {
  const ids = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Extras({ id, error, hint }: { id: string; error?: string; hint?: string }) {
  return (
    <>
      {hint ? (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </>
  );
}

export function TextField({ label, error, hint, id, ...input }: FieldBits & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div className="field" data-invalid={error ? 'true' : undefined}>
      <label htmlFor={fid}>{label}</label>
      <input
        id={fid}
        type="text"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fid, error, hint)}
        {...input}
      />
      <Extras id={fid} error={error} hint={hint} />
    </div>
  );
}

export function TextAreaField({
  label,
  error,
  hint,
  id,
  ...area
}: FieldBits & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div className="field" data-invalid={error ? 'true' : undefined}>
      <label htmlFor={fid}>{label}</label>
      <textarea
        id={fid}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fid, error, hint)}
        {...area}
      />
      <Extras id={fid} error={error} hint={hint} />
    </div>
  );
}
