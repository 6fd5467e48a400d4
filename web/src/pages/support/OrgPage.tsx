// /orgs/:slug — an organization: its profile, its FAQ with a search, and "Contact us",
// which opens a consultation (subject + first message) and goes to it. Its agents also
// get links to the support inbox and the settings.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Spinner } from '../../components/Spinner';
import { ContactDialog } from '../../components/support/ContactDialog';
import { FaqBrowser } from '../../components/support/FaqBrowser';
import { OrgHeader } from '../../components/support/OrgHeader';
import { OrgMissing } from '../../components/support/OrgMissing';
import '../../components/support/support.css';
import { useSession } from '../../session/SessionContext';
import { consultationPath } from '../../support/paths';
import { isAgent, useOrg } from '../../support/useOrg';

export default function OrgPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const { status } = useSession();
  const navigate = useNavigate();
  const org = useOrg(slug);
  const [contacting, setContacting] = useState(false);

  if (org.isPending) return <Spinner label="Loading the organization" />;
  if (!org.data) return <OrgMissing error={org.error} onRetry={() => void org.refetch()} />;
  const o = org.data;
  const base = `/orgs/${encodeURIComponent(o.slug)}`;

  const actions = (
    <>
      {status === 'signed-in' ? (
        <button type="button" className="btn btn-primary" onClick={() => setContacting(true)}>
          Contact us
        </button>
      ) : status === 'signed-out' ? (
        <Link className="btn btn-primary" to={`/signin?next=${encodeURIComponent(base)}`}>
          Sign in to contact us
        </Link>
      ) : null}
      {isAgent(o) ? (
        <>
          <Link className="btn" to={`${base}/inbox`}>
            Support inbox
          </Link>
          <Link className="btn" to={`${base}/settings`}>
            Organization settings
          </Link>
        </>
      ) : null}
    </>
  );

  return (
    <div className="stack-lg support-page">
      <OrgHeader org={o} actions={actions} />
      <section className="card stack" aria-labelledby="org-faq-title">
        <h2 id="org-faq-title">Frequently asked questions</h2>
        <FaqBrowser slug={o.slug} />
      </section>
      {contacting ? (
        <ContactDialog
          org={o}
          onClose={() => setContacting(false)}
          onOpened={(c) => navigate(consultationPath(c))}
        />
      ) : null}
    </div>
  );
}
