// /orgs/:slug/settings — managing an organization. Owners: profile (name, description,
// visibility), avatar, assignment (auto-assign, capacity) and the agents; every agent:
// the FAQ editor and the agents list. Anyone else is told it is not theirs to manage.
import { Link, useParams } from 'react-router-dom';
import { EmptyState } from '../../components/EmptyState';
import { Spinner } from '../../components/Spinner';
import { AgentsEditor } from '../../components/support/AgentsEditor';
import { AssignmentForm } from '../../components/support/AssignmentForm';
import { FaqEditor } from '../../components/support/FaqEditor';
import { OrgAvatarForm } from '../../components/support/OrgAvatarForm';
import { OrgHeader } from '../../components/support/OrgHeader';
import { OrgMissing } from '../../components/support/OrgMissing';
import { OrgProfileForm } from '../../components/support/OrgProfileForm';
import '../../components/support/support.css';
import { isAgent, useOrg } from '../../support/useOrg';

export default function OrgSettingsPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const org = useOrg(slug);

  if (org.isPending) return <Spinner label="Loading the organization" />;
  if (!org.data) return <OrgMissing error={org.error} onRetry={() => void org.refetch()} />;
  const o = org.data;
  const base = `/orgs/${encodeURIComponent(o.slug)}`;

  if (!isAgent(o)) {
    return (
      <EmptyState title="Not yours to manage" action={<Link to={base}>Back to {o.name}</Link>}>
        <p>Only this organization’s agents and owners can change it.</p>
      </EmptyState>
    );
  }
  const owner = o.my_role === 'owner';
  return (
    <div className="stack-lg support-page">
      <OrgHeader
        org={o}
        title="Organization settings"
        actions={
          <>
            <Link className="btn" to={base}>
              Public page
            </Link>
            <Link className="btn" to={`${base}/inbox`}>
              Support inbox
            </Link>
          </>
        }
      />
      {owner ? (
        <>
          <OrgProfileForm org={o} />
          <OrgAvatarForm org={o} />
          <AssignmentForm org={o} />
        </>
      ) : null}
      <AgentsEditor org={o} />
      <FaqEditor org={o} />
    </div>
  );
}
