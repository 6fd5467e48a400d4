// Settings: whether the account's e-mail is proven ("Verified" / "Not verified"), and while
// it is not, "Send confirmation mail" (the mailed link opens /verify-email).
import { useState } from 'react';
import { requestEmailVerification } from '../../api/recovery';
import type { Me } from '../../api/types';
import { Button } from '../Button';
import { FormError, Status } from '../FormBits';

export function EmailVerification({ me }: { me: Me }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<string | null>(null);

  if (!me.email) return null;

  const onSend = async () => {
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      await requestEmailVerification();
      setSent('Sent — check your inbox.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack email-verification">
      <div className="row">
        <span className={me.email_verified ? 'email-badge email-badge-ok' : 'email-badge'}>
          {me.email_verified ? 'Verified' : 'Not verified'}
        </span>
        {!me.email_verified ? (
          <>
            <Button busy={busy} onClick={() => void onSend()}>
              Send confirmation mail
            </Button>
            <Status text={sent} />
          </>
        ) : null}
      </div>
      <FormError error={error} />
    </div>
  );
}
