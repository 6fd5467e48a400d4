// Scenario: handshakes without a usable credential are refused with the code
// docs/api.md promises: `connect_error` with `err.data` = {code: "unauthorized"}
// (and `err.message` = "unauthorized"), on both transports, whether the
// credential is missing, garbage, expired, forged or from an ended session,
// and whether it came in `auth` or in the cookie. A valid token connects
// (so the refusals are not a broken server).
//
// Env: PARLEY_URL, VALID_TOKEN, EXPIRED_TOKEN, FORGED_TOKEN, REVOKED_TOKEN,
// EXPIRED_SESSION_TOKEN (a valid token whose session's lifetime is over).

import assert from "node:assert/strict";
import { TRANSPORTS, connected, env, log, refused, scenario, socket } from "./lib.mjs";

scenario("unauthorized", async () => {
  const cases = {
    "no auth at all": {},
    "an empty auth object": { auth: {} },
    "a blank token": { auth: { token: "  " } },
    "a garbage token": { auth: { token: "garbage" } },
    "a token that is not a string": { auth: { token: 42 } },
    "an expired token": { auth: { token: env("EXPIRED_TOKEN") } },
    "a token signed with another key": { auth: { token: env("FORGED_TOKEN") } },
    "a signed-out session's token": { auth: { token: env("REVOKED_TOKEN") } },
    "an expired session's token": { auth: { token: env("EXPIRED_SESSION_TOKEN") } },
    "a garbage cookie": { extraHeaders: { Cookie: "parley_access=garbage" } },
    "a signed-out session's cookie": {
      extraHeaders: { Cookie: `parley_access=${env("REVOKED_TOKEN")}` },
    },
    "a bad token beside a good cookie (the explicit token wins)": {
      auth: { token: "garbage" },
      extraHeaders: { Cookie: `parley_access=${env("VALID_TOKEN")}` },
    },
  };
  for (const transport of TRANSPORTS) {
    for (const [what, opts] of Object.entries(cases)) {
      const label = `${what} over ${transport}`;
      const s = socket(transport, opts);
      const err = await refused(s, label);
      log(`${label}: connect_error`, err.message, JSON.stringify(err.data));
      assert.equal(err.message, "unauthorized", `${label}: err.message`);
      assert.deepEqual(err.data, { code: "unauthorized" }, `${label}: err.data`);
      assert.equal(s.connected, false, `${label}: not connected`);
      s.close();
    }
    const ok = socket(transport, { auth: { token: env("VALID_TOKEN") } });
    await connected(ok, `a valid token over ${transport}`);
    ok.close();
  }
});
