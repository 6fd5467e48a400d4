// Settings, owners: the organization's name, description and visibility.
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldErrors } from '../../api/errors';
import { updateOrg } from '../../api/support';
import type { Organization, OrgVisibility } from '../../api/types';
import { orgKey } from '../../support/keys';
import { Button } from '../Button';
import { TextAreaField, TextField } from '../Field';
import { VisibilitySelect } from './CreateOrgForm';
import { FormError, Status } from '../FormBits';

export function OrgProfileForm({ org }: { org: Organization }) {
  const qc = useQueryClient();
  const [name, setName] = useState(org.name);
  const [description, setDescription] = useState(org.description);
  const [visibility, setVisibility] = useState<OrgVisibility>(org.visibility);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const fields = fieldErrors(error);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const updated = await updateOrg(org.slug, { name: name.trim(), description: description.trim(), visibility });
      qc.setQueryData(orgKey(org.slug), updated);
      void qc.invalidateQueries({ queryKey: ['orgs'] });
      setSaved('Profile saved.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="org-profile-title">
      <h2 id="org-profile-title">Profile</h2>
      <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate>
        <TextField
          label="Name"
          name="name"
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
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
          hint={`${description.length}/1000`}
        />
        <VisibilitySelect value={visibility} onChange={setVisibility} error={fields.visibility} />
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
