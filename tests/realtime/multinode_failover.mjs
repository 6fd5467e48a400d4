// Scenario: a node dies while a client sends. alice sends on node A with
// IN_FLIGHT messages always in flight, recording every ack; once ACK_TARGET
// acks are in she says ACKED and keeps sending while the Rust side kills A
// (SIGKILL). She then reconnects to node B, catches up with `sync`, and checks
// that every acked message is there, in a gap-free seq order, none twice.
// Meanwhile bob, on B, watches alice's presence: the dead node cannot leave
// her online forever — once A misses its heartbeats, B announces her offline.
//
// Env: A_URL, B_URL, D, ALICE_TOKEN, ALICE_ID, BOB_TOKEN, ACK_TARGET,
// IN_FLIGHT, RESULT_FILE.
// Output: RESULT_FILE = {acked: [{client_id, id, seq}], history: [...]}.

import { env, say, scenario } from "./lib.mjs";
import { assert, ask, connectAt, inbox, ok, send, writeResult } from "./chat_lib.mjs";

/** A node is dead after 15 s without a heartbeat; heartbeats come every 5 s. */
const TAKEOVER_MS = 30_000;

scenario("multinode_failover", async () => {
  const [a, b, d] = [env("A_URL"), env("B_URL"), env("D")];
  const target = Number(env("ACK_TARGET"));
  const inFlight = Number(env("IN_FLIGHT"));
  const onA = await connectAt(a, "alice@A", env("ALICE_TOKEN"), "websocket");
  const bob = await connectAt(b, "bob@B", env("BOB_TOKEN"), "websocket");
  const watched = ok(await ask(bob, "presence:watch", { user_ids: [env("ALICE_ID")] }), "bob watches alice");
  assert.equal(watched.presence[0]?.online, true, "alice is online (on A)");
  const presence = inbox(bob, "presence");
  const acked = [];
  let sent = 0;
  let announced = false;
  const gone = new Promise((resolve) => onA.once("disconnect", resolve));
  const pump = () => {
    if (!onA.connected) return;
    const client_id = `f-${sent}`;
    sent += 1;
    onA.emit("message:send", { conversation_id: d, text: `failover ${client_id}`, client_id }, (ack) => {
      if (ack?.ok === true) acked.push({ client_id, id: ack.message.id, seq: ack.message.seq });
      if (!announced && acked.length >= target) {
        announced = true;
        say("ACKED");
      }
      pump();
    });
  };
  for (let i = 0; i < inFlight; i += 1) pump();
  await gone;
  const offline = await presence.waitFor(
    (p) => p.user_id === env("ALICE_ID") && p.online === false,
    TAKEOVER_MS,
    "alice offline once A is taken for dead",
  );
  assert.equal(typeof offline.last_seen_at, "string");

  // Another node: the same conversation, caught up from the start.
  const onB = await connectAt(b, "alice@B", env("ALICE_TOKEN"), "websocket");
  const history = [];
  for (let after = 0; ; ) {
    const page = ok(await ask(onB, "sync", { conversation_id: d, after_seq: after }), "sync on B");
    history.push(...page.messages);
    if (!page.has_more || page.messages.length === 0) break;
    after = page.messages[page.messages.length - 1].seq;
  }
  const seqs = history.map((m) => m.seq);
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), "gap-free from 1");
  const byClient = new Map(history.map((m) => [m.client_id, m]));
  assert.equal(byClient.size, history.length, "no client_id stored twice");
  for (const ack of acked) {
    const stored = byClient.get(ack.client_id);
    assert.ok(stored, `acked ${ack.client_id} is stored`);
    assert.equal(stored.id, ack.id, `${ack.client_id}: the acked message`);
    assert.equal(stored.seq, ack.seq, `${ack.client_id}: the acked seq`);
  }
  // And B goes on: a new message after the failover.
  const after = await send(onB, d, "after the failover", "f-after");
  assert.equal(after.seq, history.length + 1);
  writeResult({ acked, history });
  onB.disconnect();
  bob.disconnect();
  say("DONE");
});
