// Scenario: the Origin allow-list guards both transports. A handshake from a
// foreign Origin is refused before Socket.IO sees it (HTTP 403), whether it
// starts with long-polling or goes straight to a websocket, even with a
// valid token and a valid cookie (cross-site websocket hijacking); the
// allowed origin connects on both; no Origin at all (native clients) too.
//
// Env: PARLEY_URL, TOKEN.

import assert from "node:assert/strict";
import {
  ALLOWED_ORIGIN,
  EVIL_ORIGIN,
  TRANSPORTS,
  connected,
  env,
  log,
  rawRequest,
  refused,
  scenario,
  socket,
  upgradeHeaders,
} from "./lib.mjs";

scenario("origin", async () => {
  const token = env("TOKEN");
  const cookie = `parley_access=${token}`;

  // What the server answers, byte for byte: 403 origin_not_allowed.
  const polling = await rawRequest("/socket.io/?EIO=4&transport=polling", {
    Origin: EVIL_ORIGIN,
    Cookie: cookie,
  });
  assert.equal(polling.status, 403, `polling handshake: ${polling.body}`);
  assert.equal(JSON.parse(polling.body).error.code, "origin_not_allowed");
  const upgrade = await rawRequest(
    "/socket.io/?EIO=4&transport=websocket",
    upgradeHeaders({ Origin: EVIL_ORIGIN, Cookie: cookie }),
  );
  assert.equal(upgrade.status, 403, "websocket upgrade");
  const allowedUpgrade = await rawRequest(
    "/socket.io/?EIO=4&transport=websocket",
    upgradeHeaders({ Origin: ALLOWED_ORIGIN }),
  );
  assert.equal(allowedUpgrade.status, 101, "the allowed origin may upgrade");

  for (const transport of TRANSPORTS) {
    // What a client sees: the connection never opens.
    const evil = socket(transport, {
      auth: { token },
      extraHeaders: { Origin: EVIL_ORIGIN, Cookie: cookie },
    });
    const err = await refused(evil, `a foreign origin over ${transport}`);
    const why = err.description?.message ?? err.description;
    log(`foreign origin over ${transport}: connect_error ${err.message} (${why})`);
    assert.equal(evil.connected, false);
    evil.close();

    const evilNull = socket(transport, { auth: { token }, extraHeaders: { Origin: "null" } });
    await refused(evilNull, `Origin: null over ${transport}`);
    evilNull.close();

    const good = socket(transport, { auth: { token }, extraHeaders: { Origin: ALLOWED_ORIGIN } });
    await connected(good, `the allowed origin over ${transport}`);
    good.close();

    const native = socket(transport, { auth: { token } });
    await connected(native, `no Origin (native client) over ${transport}`);
    native.close();
  }
});
