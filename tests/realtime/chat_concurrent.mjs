// Scenario: many senders at once. Six sockets (three users, two tabs each,
// both transports) each fire PER_SOCKET `message:send` without awaiting any
// ack. Every send is acked ok and the acked seqs are exactly 1..N (no gap, no
// duplicate); every socket of every member receives each message once as
// `message:new`, identical to its ack; REST history agrees with the acks.
//
// Env: PARLEY_URL, CONVERSATION_ID, SOCKETS = JSON [{name, token, transport,
// user_id}], PER_SOCKET, RESULT_FILE.
// Output: RESULT_FILE = JSON array of the acked messages.

import { env, scenario } from "./lib.mjs";
import { assert, ask, connect, history, inbox, log, ok, range, writeResult } from "./chat_lib.mjs";

scenario("chat_concurrent", async () => {
  const conversation = env("CONVERSATION_ID");
  const specs = JSON.parse(env("SOCKETS"));
  const perSocket = Number(env("PER_SOCKET"));
  const total = specs.length * perSocket;
  const sockets = [];
  for (const spec of specs) {
    const s = await connect(spec.name, spec.token, spec.transport);
    s.spec = spec;
    sockets.push(s);
  }
  const news = sockets.map((s) => inbox(s, "message:new"));

  // Fire everything before awaiting anything.
  const pending = [];
  for (let i = 0; i < perSocket; i++) {
    for (const s of sockets) {
      const client_id = `${s.spec.name}-${i}`;
      const text = `${s.spec.name} says ${i}`;
      pending.push(
        ask(s, "message:send", { conversation_id: conversation, text, client_id }, 30_000).then((ack) => ({
          s,
          client_id,
          text,
          ack,
        })),
      );
    }
  }
  const results = await Promise.all(pending);
  const acked = [];
  for (const { s, client_id, text, ack } of results) {
    ok(ack, `${client_id}`);
    const m = ack.message;
    assert.equal(m.client_id, client_id);
    assert.equal(m.text, text);
    assert.equal(m.sender.id, s.spec.user_id, `${client_id}: sender`);
    assert.equal(m.conversation_id, conversation);
    acked.push(m);
  }
  const seqs = acked.map((m) => m.seq).sort((a, b) => a - b);
  assert.deepEqual(seqs, range(1, total), "acked seqs are exactly 1..N");
  assert.equal(new Set(acked.map((m) => m.id)).size, total, "every ack names its own message");
  log(`${total} concurrent sends acked with seq 1..${total}`);

  // Every member socket gets every message once, as acked.
  const bySeq = new Map(acked.map((m) => [m.seq, m]));
  await Promise.all(news.map((box) => box.wait(total, 20_000)));
  for (const box of news) {
    const got = box.list.map((p) => p.message);
    assert.equal(got.length, total, `${box.name}: one message:new per message`);
    assert.deepEqual(
      got.map((m) => m.seq).sort((a, b) => a - b),
      range(1, total),
      `${box.name}: each seq once`,
    );
    for (const m of got) assert.deepEqual(m, bySeq.get(m.seq), `${box.name}: message:new equals the ack`);
  }

  // REST history: the same messages, in seq order.
  const stored = await history(specs[0].token, conversation);
  assert.deepEqual(
    stored.map((m) => m.seq),
    range(1, total),
    "history holds seq 1..N in order",
  );
  for (const m of stored) assert.deepEqual(m, bySeq.get(m.seq), `history seq ${m.seq} equals its ack`);

  writeResult(acked);
});
