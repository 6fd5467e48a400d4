// The "Create organization" form: slug (checked here first: 3–30 of a-z, 0-9 and -), name,
// description and visibility. The server's answer (409 slug_taken, 422 fields) is shown
// beside the fields; on success the caller is handed the new organization.
import { useState, type FormEvent } from 'react';
import { errorMessage, fieldErrors } from '../../api/errors';
import { createOrg } from '../../api/support';
import type { Organization, OrgVisibility } from '../../api/types';
import { Button } from '../Button';
import { TextAreaField, TextField } from '../Field';

const SLUG = /^[a-z0-9-]{3,30}$/;

/** Why a slug is refused before asking the server, or null. */
export function slugProblem(slug: string): string | null {
  if (SLUG.test(slug)) return null;
  return '3–30 characters: lowercase letters, digits or -.';
}

export function CreateOrgForm({ onCreated }: { onCreated: (org: Organization) => void }) {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [visibility, setVisibility] = useState<OrgVisibility>('public');
  const [local, setLocal] = useState<{ slug?: string; name?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const checks = {
      slug: slugProblem(slug) ?? undefined,
      name: name.trim() ? undefined : 'Give it a name.',
    };
    setLocal(checks);
    setError(null);
    if (checks.slug || checks.name) return;
    setBusy(true);
    try {
      const org = await createOrg({ slug, name: name.trim(), description: description.trim(), visibility });
      onCreated(org);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const shownFields = Object.keys(fields).length > 0;
  return (
    <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Create organization">
      <TextField
        label="Slug"
        name="slug"
        value={slug}
        maxLength={30}
        autoCapitalize="none"
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setSlug(e.target.value.toLowerCase())}
        error={local.slug ?? fields.slug}
        hint="Its address: /orgs/your-slug"
        required
      />
      <TextField
        label="Name"
        name="name"
        value={name}
        maxLength={100}
        onChange={(e) => setName(e.target.value)}
        error={local.name ?? fields.name}
        required
      />
      <TextAreaField
        label="Description"
        name="description"
        value={description}
        maxLength={1000}
        rows={3}
        onChange={(e) => setDescription(e.target.value)}
        error={fields.description}
      />
      <VisibilitySelect value={visibility} onChange={setVisibility} error={fields.visibility} />
      {error && !shownFields ? (
        <p className="error-banner" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
      <div className="row">
        <Button type="submit" variant="primary" busy={busy}>
          Create organization
        </Button>
      </div>
    </form>
  );
}

export function VisibilitySelect({
  value,
  onChange,
  error,
}: {
  value: OrgVisibility;
  onChange: (v: OrgVisibility) => void;
  error?: string;
}) {
  return (
    <div className="field" data-invalid={error ? 'true' : undefined}>
      <label htmlFor="org-visibility">Visibility</label>
      <select
        id="org-visibility"
        value={value}
        onChange={(e) => onChange(e.target.value as OrgVisibility)}
        aria-describedby="org-visibility-hint"
      >
        <option value="public">Public: listed in the directory</option>
        <option value="hidden">Hidden: only by its address</option>
      </select>
      <span id="org-visibility-hint" className="field-hint">
        Hidden organizations are left out of the directory search.
      </span>
      {error ? <span className="field-error">{error}</span> : null}
    </div>
  );
}
