// Scenario: the server disconnects exactly the sockets it should when a
// session or an account ends (sign-out, password change, account deletion,
// a revocation found by the sweeper), and leaves the others connected.
//
// Env: PARLEY_URL; SOCKETS = JSON [{name, token, transport}], the sockets to
// open; GONE = JSON [name], those that must be disconnected by the server;
// the others must stay connected. WITHIN_MS (default 5000): how long the
// server may take.
// Protocol: prints READY once every socket is connected; waits for ACTED
// (the Rust side did the action), then checks.

import assert from "node:assert/strict";
import { connected, disconnected, env, hear, log, say, scenario, sleep, socket } from "./lib.mjs";

scenario("disconnects", async () => {
  const specs = JSON.parse(env("SOCKETS"));
  const gone = new Set(JSON.parse(env("GONE")));
  const within = Number(process.env.WITHIN_MS ?? 5000);
  const sockets = {};
  for (const { name, token, transport } of specs) {
    sockets[name] = await connected(socket(transport, { auth: { token } }), name);
  }
  say("READY");
  await hear("ACTED");
  const started = Date.now();
  for (const name of gone) {
    const reason = await disconnected(sockets[name], name, within);
    log(`${name}: disconnected after ${Date.now() - started} ms (${reason})`);
    assert.equal(reason, "io server disconnect", `${name}: the server disconnected it`);
  }
  // Whatever was going to happen to the others has had time to happen.
  await sleep(500);
  for (const [name, s] of Object.entries(sockets)) {
    if (gone.has(name)) continue;
    assert.equal(s.connected, true, `${name} must stay connected (${s.disconnectReason})`);
  }
});
