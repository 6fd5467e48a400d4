// /developer — the developer portal for the Open API: register a site (host + tier), my
// sites with rotate and delete, the client secret shown once after registering or
// rotating, and how to call the API from the registered site.
import { useState } from 'react';
import type { DomainId, NewSecret } from '../../api/types';
import { ApiGuide } from '../../components/developer/ApiGuide';
import { DomainList } from '../../components/developer/DomainList';
import { RegisterDomainForm } from '../../components/developer/RegisterDomainForm';
import { SecretBox } from '../../components/developer/SecretBox';
import '../../components/developer/developer.css';

export default function DeveloperPage() {
  // The secret lives only here, in memory, until dismissed or the page is left.
  const [revealed, setRevealed] = useState<NewSecret | null>(null);
  const onDeleted = (id: DomainId) => setRevealed((shown) => (shown?.id === id ? null : shown));

  return (
    <div className="stack-lg developer-page">
      <div className="stack">
        <h1>Developer</h1>
        <p className="muted">
          Register your site to read Parley’s public posts and profiles from it with the Open API. Each site gets a
          client secret that it trades for short-lived tokens.
        </p>
      </div>
      <RegisterDomainForm onRegistered={setRevealed} />
      {revealed ? <SecretBox secret={revealed} onDismiss={() => setRevealed(null)} /> : null}
      <DomainList onRotated={setRevealed} onDeleted={onDeleted} />
      <ApiGuide origin={window.location.origin} />
    </div>
  );
}
