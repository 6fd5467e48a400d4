// "How to call the API": the token request and the data requests as examples built from
// this server's origin, and the rules a calling site must know (origin, token lifetime,
// limits).
import { fetchExample, httpExample } from '../../developer/apiExample';

export function ApiGuide({ origin }: { origin: string }) {
  return (
    <section className="card stack" aria-labelledby="api-guide-title">
      <h2 id="api-guide-title">How to call the API</h2>
      <p>
        Trade your site’s client secret for a token, then send the token with every call as{' '}
        <code>Authorization: Bearer &lt;token&gt;</code>. Answers are pages of posts (<code>items</code>,{' '}
        <code>next_cursor</code>) or a public profile.
      </p>
      <figure className="code-figure" aria-labelledby="api-example-http">
        <figcaption id="api-example-http" className="small muted">
          The requests
        </figcaption>
        <pre className="code-block">
          <code>{httpExample(origin)}</code>
        </pre>
      </figure>
      <figure className="code-figure" aria-labelledby="api-example-js">
        <figcaption id="api-example-js" className="small muted">
          The same in JavaScript
        </figcaption>
        <pre className="code-block">
          <code>{fetchExample(origin)}</code>
        </pre>
      </figure>
      <ul className="api-notes">
        <li>
          From a browser, calls work only from your registered host’s own origin: <code>https://</code> or{' '}
          <code>http://</code> + the host, as your page is served. Calls from your server (no <code>Origin</code>{' '}
          header) are allowed too.
        </li>
        <li>
          A token lasts 30 minutes (<code>expires_in</code> is in seconds); when it runs out calls answer 401{' '}
          <code>token_expired</code> and you ask for a new one.
        </li>
        <li>
          Each site has a limit of calls a minute set by its tier; over it, calls answer 429 with{' '}
          <code>Retry-After</code>.
        </li>
      </ul>
    </section>
  );
}
