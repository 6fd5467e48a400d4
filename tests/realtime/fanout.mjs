// Scenario: `Realtime::emit_to_users` reaches every socket of the user (two
// sessions, one per transport) and no socket of anyone else; an emit to an
// empty user list reaches nobody (socketioxide would read "no rooms" as
// "everyone").
//
// Env: PARLEY_URL, ALICE_TOKEN_1, ALICE_TOKEN_2, BOB_TOKEN.
// Protocol: prints READY once the three sockets are connected; waits for
// EMITTED (the server emitted `test:nobody` to [] and then `test:event` to
// [alice]).

import assert from "node:assert/strict";
import { collect, connected, env, hear, next, say, scenario, sleep, socket } from "./lib.mjs";

scenario("fanout", async () => {
  const alice1 = await connected(
    socket("websocket", { auth: { token: env("ALICE_TOKEN_1") } }),
    "alice over websocket",
  );
  const alice2 = await connected(
    socket("polling", { auth: { token: env("ALICE_TOKEN_2") } }),
    "alice over polling",
  );
  const bob = await connected(socket("websocket", { auth: { token: env("BOB_TOKEN") } }), "bob");
  const all = { alice1, alice2, bob };
  const nobody = Object.fromEntries(Object.entries(all).map(([k, s]) => [k, collect(s, "test:nobody")]));
  const bobGot = collect(bob, "test:event");
  const aliceGot = [next(alice1, "test:event", "alice's websocket"), next(alice2, "test:event", "alice's polling socket")];
  say("READY");
  await hear("EMITTED");

  for (const payload of await Promise.all(aliceGot)) {
    assert.deepEqual(payload, { hello: "alice", n: 1, nested: { list: [1, 2, 3] } });
  }
  // Both of alice's copies arrived; anything for bob would have come with them.
  await sleep(500);
  assert.deepEqual(bobGot, [], "bob's socket must not get alice's event");
  for (const [name, got] of Object.entries(nobody)) {
    assert.deepEqual(got, [], `${name} must not get an event sent to no user`);
  }
});
