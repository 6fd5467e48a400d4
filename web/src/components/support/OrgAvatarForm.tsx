// Settings, owners: upload the organization's avatar (JPEG, PNG, GIF or WebP, 5 MB), with a
// preview and progress, or remove it.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ACCEPTED_IMAGE_TYPES } from '../../api/media';
import { removeOrgAvatar, uploadOrgAvatar } from '../../api/support';
import type { Organization } from '../../api/types';
import { orgKey } from '../../support/keys';
import { Avatar } from '../Avatar';
import { Button } from '../Button';
import { FormError, Status } from '../FormBits';
import { orgAvatarUser } from './OrgRow';

const MAX_BYTES = 5 * 1024 * 1024;

export function OrgAvatarForm({ org }: { org: Organization }) {
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!preview) return;
    return () => URL.revokeObjectURL(preview);
  }, [preview]);

  const onPick = (f: File | null) => {
    setError(null);
    setSaved(null);
    setFile(f);
    setPreview(f ? URL.createObjectURL(f) : null);
    if (f && !ACCEPTED_IMAGE_TYPES.split(',').includes(f.type)) setProblem('Choose a JPEG, PNG, GIF or WebP image.');
    else if (f && f.size > MAX_BYTES) setProblem('The image must be at most 5 MB.');
    else setProblem(null);
  };

  const onRemove = async () => {
    setError(null);
    setSaved(null);
    try {
      qc.setQueryData(orgKey(org.slug), await removeOrgAvatar(org.slug));
      setSaved('Avatar removed.');
    } catch (err) {
      setError(err);
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || problem) return;
    setError(null);
    setProgress(0);
    try {
      const updated = await uploadOrgAvatar(org.slug, file, { onProgress: setProgress });
      qc.setQueryData(orgKey(org.slug), updated);
      setSaved('Avatar updated.');
      setFile(null);
      setPreview(null);
      if (input.current) input.current.value = '';
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };

  return (
    <section className="card stack" aria-labelledby="org-avatar-title">
      <h2 id="org-avatar-title">Avatar</h2>
      <form className="stack" onSubmit={(e) => void onSubmit(e)}>
        <div className="row org-avatar-row">
          {preview ? (
            <img className="avatar" src={preview} alt="Preview of the new avatar" width={72} height={72} />
          ) : (
            <Avatar user={orgAvatarUser(org)} size={72} />
          )}
          <div className="field">
            <label htmlFor="org-avatar-file">Avatar image</label>
            <input
              id="org-avatar-file"
              ref={input}
              type="file"
              accept={ACCEPTED_IMAGE_TYPES}
              disabled={progress !== null}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? 'org-avatar-error' : 'org-avatar-hint'}
              onChange={(e) => onPick(e.target.files?.[0] ?? null)}
            />
            <span id="org-avatar-hint" className="field-hint">
              JPEG, PNG, GIF or WebP, up to 5 MB.
            </span>
            {problem ? (
              <span id="org-avatar-error" className="field-error">
                {problem}
              </span>
            ) : null}
          </div>
        </div>
        {progress !== null ? <progress max={1} value={progress} aria-label="Avatar upload progress" /> : null}
        <FormError error={error} />
        <div className="row">
          <Button type="submit" variant="primary" busy={progress !== null} disabled={!file || Boolean(problem)}>
            Upload avatar
          </Button>
          {org.avatar_url && !file ? <Button onClick={() => void onRemove()}>Remove avatar</Button> : null}
          <Status text={saved} />
        </div>
      </form>
    </section>
  );
}
