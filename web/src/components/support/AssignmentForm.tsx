// Settings, owners: automatic assignment (round robin over the agents) and the most
// active consultations an agent is given (empty: no limit).
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldErrors } from '../../api/errors';
import { updateOrg } from '../../api/support';
import type { Organization } from '../../api/types';
import { orgKey } from '../../support/keys';
import { Button } from '../Button';
import { TextField } from '../Field';
import { FormError, Status } from '../FormBits';

/** The capacity box's text as the API's value: null for no limit, NaN when not valid. */
export function parseCapacity(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return Number.NaN;
  const n = Number(t);
  return n >= 1 ? n : Number.NaN;
}

export function AssignmentForm({ org }: { org: Organization }) {
  const qc = useQueryClient();
  const [auto, setAuto] = useState(org.auto_assign);
  const [capacity, setCapacity] = useState(org.agent_capacity === null ? '' : String(org.agent_capacity));
  const [problem, setProblem] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const fields = fieldErrors(error);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const cap = parseCapacity(capacity);
    setSaved(null);
    setError(null);
    if (Number.isNaN(cap)) {
      setProblem('A whole number, 1 or more (empty: no limit).');
      return;
    }
    setProblem(undefined);
    setBusy(true);
    try {
      const updated = await updateOrg(org.slug, { auto_assign: auto, agent_capacity: cap });
      qc.setQueryData(orgKey(org.slug), updated);
      setSaved('Assignment saved.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="org-assign-title">
      <h2 id="org-assign-title">Assignment</h2>
      <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate>
        <label className="checkbox">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
          <span>Assign new consultations automatically</span>
        </label>
        <TextField
          label="Most active consultations per agent"
          name="agent_capacity"
          inputMode="numeric"
          value={capacity}
          onChange={(e) => setCapacity(e.target.value)}
          error={problem ?? fields.agent_capacity}
          hint="Round robin skips agents who have this many. Empty: no limit."
        />
        {Object.keys(fields).length === 0 ? <FormError error={error} /> : null}
        <div className="row">
          <Button type="submit" variant="primary" busy={busy}>
            Save assignment
          </Button>
          <Status text={saved} />
        </div>
      </form>
    </section>
  );
}
