// Settings: edit profile (display name, bio, status; the account's e-mail shown, with
// whether it is verified), avatar
// upload with preview and progress, linked sign-in accounts, password change or first
// password (this session stays signed in), the sessions signed in to the account (sign
// out one or all the others), the people I block and mute (unblock / unmute), a link to
// the developer page (Open API sites), and account deletion. The sections with more to them live in components/settings/.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { fieldErrors } from '../../api/errors';
import { updateMe, uploadAvatar } from '../../api/me';
import type { Me } from '../../api/types';
import { Avatar } from '../../components/Avatar';
import { Button } from '../../components/Button';
import { TextAreaField, TextField } from '../../components/Field';
import { BlockedMutedSection } from '../../components/settings/BlockedMutedSection';
import { DeleteAccountSection } from '../../components/settings/DeleteAccountSection';
import { EmailVerification } from '../../components/settings/EmailVerification';
import { FormError, Status } from '../../components/FormBits';
import { LinkedAccounts } from '../../components/settings/LinkedAccounts';
import { PasswordSection } from '../../components/settings/PasswordSection';
import { SessionsSection } from '../../components/settings/SessionsSection';
import { Spinner } from '../../components/Spinner';
import { useSession } from '../../session/SessionContext';
import './settings.css';

const IMAGE_TYPES = 'image/jpeg,image/png,image/gif,image/webp';
const MAX_AVATAR_BYTES = 5 * 1024 * 1024;

function useMeUpdated() {
  const { setMe } = useSession();
  const queryClient = useQueryClient();
  return (me: Me) => {
    setMe(me);
    void queryClient.invalidateQueries({ queryKey: ['user', me.username] });
  };
}

function ProfileSection({ me }: { me: Me }) {
  const onUpdated = useMeUpdated();
  const [displayName, setDisplayName] = useState(me.display_name);
  const [bio, setBio] = useState(me.bio);
  const [statusMessage, setStatusMessage] = useState(me.status_message);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const fields = fieldErrors(error);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const updated = await updateMe({ display_name: displayName.trim(), bio, status_message: statusMessage.trim() });
      onUpdated(updated);
      setSaved('Profile saved.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <p className="muted small">
        Signed in as @{me.username} · {me.email ?? 'No e-mail'}
      </p>
      <EmailVerification me={me} />
      <form className="stack" onSubmit={onSubmit} noValidate>
        <TextField
          label="Display name"
          name="display_name"
          value={displayName}
          maxLength={50}
          onChange={(e) => setDisplayName(e.target.value)}
          error={fields.display_name}
          required
        />
        <TextAreaField
          label="Bio"
          name="bio"
          value={bio}
          maxLength={300}
          rows={3}
          onChange={(e) => setBio(e.target.value)}
          error={fields.bio}
          hint={`${bio.length}/300`}
        />
        <TextField
          label="Status message"
          name="status_message"
          value={statusMessage}
          maxLength={100}
          onChange={(e) => setStatusMessage(e.target.value)}
          error={fields.status_message}
          hint="A short line shown on your profile"
        />
        {Object.keys(fields).length === 0 ? <FormError error={error} /> : null}
        <div className="row">
          <Button type="submit" variant="primary" busy={busy}>
            Save profile
          </Button>
          <Status text={saved} />
        </div>
      </form>
    </section>
  );
}

function AvatarSection({ me }: { me: Me }) {
  const onUpdated = useMeUpdated();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);

  // Revoke the preview's object URL when it is replaced or the page closes.
  useEffect(() => {
    if (!preview) return;
    return () => URL.revokeObjectURL(preview);
  }, [preview]);
  useEffect(() => () => abortRef.current?.abort(), []);

  const onPick = (f: File | null) => {
    setError(null);
    setSaved(null);
    setLocalError(null);
    setFile(f);
    setPreview(f ? URL.createObjectURL(f) : null);
    if (f && !IMAGE_TYPES.split(',').includes(f.type)) setLocalError('Choose a JPEG, PNG, GIF or WebP image.');
    else if (f && f.size > MAX_AVATAR_BYTES) setLocalError('The image must be at most 5 MB.');
  };

  const onUpload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || localError) return;
    setError(null);
    setProgress(0);
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    try {
      const updated = await uploadAvatar(file, { onProgress: setProgress, signal: ctrl.signal });
      onUpdated(updated);
      setSaved('Avatar updated.');
      setFile(null);
      setPreview(null);
      if (inputRef.current) inputRef.current.value = '';
    } catch (err) {
      if (!ctrl.signal.aborted) setError(err);
    } finally {
      setProgress(null);
      abortRef.current = null;
    }
  };

  const uploading = progress !== null;

  return (
    <section className="card stack" aria-labelledby="avatar-title">
      <h2 id="avatar-title">Avatar</h2>
      <form className="stack" onSubmit={onUpload}>
        <div className="row avatar-row">
          {preview ? (
            <img className="avatar avatar-preview" src={preview} alt="Preview of your new avatar" width={80} height={80} />
          ) : (
            <Avatar user={me} size={80} />
          )}
          <div className="field">
            <label htmlFor="avatar-file">Avatar image</label>
            <input
              id="avatar-file"
              ref={inputRef}
              type="file"
              accept={IMAGE_TYPES}
              disabled={uploading}
              aria-describedby={localError ? 'avatar-file-error' : 'avatar-file-hint'}
              aria-invalid={localError ? true : undefined}
              onChange={(e) => onPick(e.target.files?.[0] ?? null)}
            />
            <span id="avatar-file-hint" className="field-hint">
              JPEG, PNG, GIF or WebP, up to 5 MB. It is cropped to a square.
            </span>
            {localError ? (
              <span id="avatar-file-error" className="field-error">
                {localError}
              </span>
            ) : null}
          </div>
        </div>
        {uploading ? (
          <div className="row">
            <progress max={1} value={progress ?? 0} aria-label="Avatar upload progress" />
            <span className="small muted">{Math.round((progress ?? 0) * 100)}%</span>
          </div>
        ) : null}
        <FormError error={error} />
        <div className="row">
          <Button type="submit" variant="primary" busy={uploading} disabled={!file || Boolean(localError)}>
            Upload avatar
          </Button>
          <Status text={saved} />
        </div>
      </form>
    </section>
  );
}

function DeveloperSection() {
  return (
    <section className="card stack" aria-labelledby="developer-title">
      <h2 id="developer-title">Developer</h2>
      <p className="muted">Register your own site to show Parley posts on it through the Open API.</p>
      <div>
        <Link className="btn" to="/developer">
          Developer page
        </Link>
      </div>
    </section>
  );
}

export default function SettingsPage() {
  const { me } = useSession();
  if (!me) return <Spinner label="Loading settings" />;
  return (
    <div className="stack-lg settings-page">
      <h1>Settings</h1>
      <ProfileSection me={me} />
      <AvatarSection me={me} />
      <LinkedAccounts />
      <PasswordSection me={me} />
      <SessionsSection />
      <BlockedMutedSection />
      <DeveloperSection />
      <DeleteAccountSection me={me} />
    </div>
  );
}
