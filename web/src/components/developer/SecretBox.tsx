// The client secret of a site just registered or rotated, shown this once in a highlighted
// box with a Copy button (the Clipboard API; without it the secret is selected and the
// user is asked to copy it by hand). It takes the focus when it appears.
import { useEffect, useRef, useState } from 'react';
import type { NewSecret } from '../../api/types';
import { Button } from '../Button';

type CopyState = 'idle' | 'copied' | 'manual';

export function SecretBox({ secret, onDismiss }: { secret: NewSecret; onDismiss: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const valueRef = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<CopyState>('idle');

  useEffect(() => {
    setCopy('idle');
    headingRef.current?.focus();
  }, [secret.client_secret]);

  const onCopy = async () => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(secret.client_secret);
      setCopy('copied');
    } catch {
      valueRef.current?.select();
      setCopy('manual');
    }
  };

  return (
    <section className="secret-box stack" aria-labelledby="secret-box-title">
      <h2 id="secret-box-title" ref={headingRef} tabIndex={-1}>
        Client secret for {secret.host}
      </h2>
      <p>
        Copy it now and keep it like a password: <strong>it will not be shown again.</strong> If you lose it,
        rotate the secret to get a new one.
      </p>
      <div className="field">
        <label htmlFor="client-secret">Client secret</label>
        <input
          id="client-secret"
          ref={valueRef}
          className="secret-value"
          type="text"
          readOnly
          value={secret.client_secret}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.target.select()}
        />
      </div>
      <div className="row">
        <Button variant="primary" onClick={() => void onCopy()}>
          Copy secret
        </Button>
        <Button variant="ghost" onClick={onDismiss}>
          I have saved it
        </Button>
        <p className="small" role="status" aria-live="polite">
          {copy === 'copied'
            ? 'Copied to the clipboard.'
            : copy === 'manual'
              ? 'Copying is not available here: the secret is selected, copy it with your keyboard or menu.'
              : ''}
        </p>
      </div>
    </section>
  );
}
