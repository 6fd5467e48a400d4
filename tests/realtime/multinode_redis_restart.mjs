// Scenario: Redis goes away and comes back. alice is on node A, bob on B.
// While Redis is down each node keeps serving its own sockets (alice's sends
// are acked, being committed in PostgreSQL, and reach her other tab on the
// same node live); once Redis is back, fan-out
// resumes by itself, and bob's `sync` returns exactly what he missed.
//
// Env: A_URL, B_URL, D, ALICE_TOKEN, BOB_TOKEN. Protocol: READY once
// connected; waits for DOWN (Redis stopped); says SENT after three sends;
// waits for UP (Redis running again); DONE at the end.

import { env, hear, log, say, scenario, sleep } from "./lib.mjs";
import { assert, ask, connectAt, inbox, ok, send } from "./chat_lib.mjs";

scenario("multinode_redis_restart", async () => {
  const [a, b, d] = [env("A_URL"), env("B_URL"), env("D")];
  const alice = await connectAt(a, "alice@A", env("ALICE_TOKEN"), "websocket");
  const alice2 = await connectAt(a, "alice's other tab@A", env("ALICE_TOKEN"), "polling");
  const bob = await connectAt(b, "bob@B", env("BOB_TOKEN"), "websocket");
  const localNews = inbox(alice2, "message:new");
  const bobNews = inbox(bob, "message:new");
  const before = await send(alice, d, "before", "r-0");
  await bobNews.waitFor((e) => e.message.id === before.id);
  say("READY");

  await hear("DOWN");
  const missed = [];
  for (let i = 1; i <= 3; i += 1) missed.push(await send(alice, d, `while redis is down ${i}`, `r-${i}`));
  // Node A still serves its own sockets: alice's other tab on A gets them live.
  for (const m of missed) await localNews.waitFor((e) => e.message.id === m.id);
  say("SENT");

  await hear("UP");
  // Fan-out resumes by itself: a bounded number of tries, half a second apart.
  let live = null;
  for (let i = 0; i < 60 && !live; i += 1) {
    const probe = await send(alice, d, `probe ${i}`, `p-${i}`);
    try {
      live = await bobNews.waitFor((e) => e.message.id === probe.id, 500);
    } catch {
      await sleep(0);
    }
  }
  assert.ok(live, "fan-out from A to B resumed after Redis came back");
  log(`fan-out resumed with message seq ${live.message.seq}`);

  // sync covers the gap: every message after `before`, in order, none twice.
  const synced = ok(await ask(bob, "sync", { conversation_id: d, after_seq: before.seq }), "bob syncs");
  const seqs = synced.messages.map((m) => m.seq);
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => before.seq + 1 + i), "gap-free");
  for (const m of missed) assert.ok(seqs.includes(m.seq), `sync returns the missed message ${m.seq}`);
  assert.ok(seqs.includes(live.message.seq));
  alice.disconnect();
  alice2.disconnect();
  bob.disconnect();
  say("DONE");
});
