// Scenario: a browser authenticates its handshake with the HttpOnly access
// cookie alone (no `auth`), from the allowed Origin, on both transports; the
// socket is in its user's room (an emit from the server reaches it). The
// same cookie from a foreign Origin is refused.
//
// Env: PARLEY_URL, TOKEN (the value of the parley_access cookie).
// Protocol: prints READY once connected; waits for EMITTED, then expects
// `test:cookie` on both sockets.

import assert from "node:assert/strict";
import {
  ALLOWED_ORIGIN,
  EVIL_ORIGIN,
  TRANSPORTS,
  connected,
  env,
  hear,
  next,
  refused,
  say,
  scenario,
  socket,
} from "./lib.mjs";

scenario("cookie", async () => {
  const cookie = `parley_access=${env("TOKEN")}`;
  const sockets = [];
  for (const transport of TRANSPORTS) {
    const evil = socket(transport, { extraHeaders: { Cookie: cookie, Origin: EVIL_ORIGIN } });
    await refused(evil, `the cookie from a foreign origin over ${transport}`);
    evil.close();

    const s = socket(transport, { extraHeaders: { Cookie: cookie, Origin: ALLOWED_ORIGIN } });
    await connected(s, `the cookie from the allowed origin over ${transport}`);
    sockets.push(s);
  }
  const received = sockets.map((s, i) => next(s, "test:cookie", `socket ${i}`));
  say("READY");
  await hear("EMITTED");
  for (const payload of await Promise.all(received)) {
    assert.deepEqual(payload, { via: "cookie" });
  }
});
