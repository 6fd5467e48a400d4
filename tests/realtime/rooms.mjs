// Scenario: who receives what, step by step, while the server changes who is
// in which room. Sockets are opened from SOCKETS; then, for each step, the
// Rust side acts (emits, joins or leaves a conversation) and writes one JSON
// line {event, payload, to: [socket names]}: exactly the sockets in `to`
// must receive `event` with `payload` (each once), the others nothing. A
// line END finishes.
//
// Env: PARLEY_URL; SOCKETS = JSON [{name, token, transport}].
// Protocol: prints READY once every socket is connected, OK after each step.

import assert from "node:assert/strict";
import { connected, env, log, nextLine, say, scenario, sleep, socket, withTimeout } from "./lib.mjs";

scenario("rooms", async () => {
  const specs = JSON.parse(env("SOCKETS"));
  const sockets = {};
  const received = {};
  for (const { name, token, transport } of specs) {
    const s = await connected(socket(transport, { auth: { token } }), name);
    received[name] = [];
    s.onAny((event, payload) => received[name].push({ event, payload }));
    sockets[name] = s;
  }
  say("READY");
  for (let step = 1; ; step++) {
    const line = await nextLine(30_000, `step ${step}`);
    if (line === "END") return;
    const { event, payload, to } = JSON.parse(line);
    const got = (name) => received[name].filter((r) => r.event === event);
    await withTimeout(
      (async () => {
        while (!to.every((name) => got(name).length > 0)) await sleep(20);
      })(),
      5_000,
      `step ${step}: ${event} to reach ${to.join(", ")}`,
    );
    // Anything addressed to the others would have arrived with these.
    await sleep(300);
    for (const name of Object.keys(sockets)) {
      const expected = to.includes(name) ? [{ event, payload }] : [];
      assert.deepEqual(got(name), expected, `step ${step}: what ${name} received`);
      received[name] = received[name].filter((r) => r.event !== event);
    }
    log(`step ${step}: ${event} reached exactly ${to.length ? to.join(", ") : "nobody"}`);
    say("OK");
  }
});
