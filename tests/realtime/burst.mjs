// Scenario: a long-polling client that is slow to collect its events. The
// server emits a burst far bigger than socketioxide's per-socket buffer (128
// packets); the overflow must be counted as failures, not silently lost
// (the Rust side reads /metrics). Here we only hold the socket open.
//
// Env: PARLEY_URL, TOKEN.
// Protocol: prints READY once connected; waits for DONE.

import { connected, env, hear, say, scenario, socket } from "./lib.mjs";

scenario("burst", async () => {
  await connected(socket("polling", { auth: { token: env("TOKEN") } }), "a polling socket");
  say("READY");
  await hear("DONE", 60_000);
});
