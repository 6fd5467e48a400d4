// Scenario: a client retries a `message:send` under the same client_id —
// concurrently (from both tabs at once) and later on. Every ack carries the
// same message (id and seq); one message is stored; the members get one
// `message:new` for it, not one per retry. A client_id is the sender's own:
// bob using the same one sends a message of his.
//
// Env: PARLEY_URL, CONVERSATION_ID, ALICE_TOKEN_1, ALICE_TOKEN_2, BOB_TOKEN,
// BOB_ID, RESULT_FILE.
// Output: RESULT_FILE = {concurrent, sequential, bobs} (the acked messages).

import { env, scenario } from "./lib.mjs";
import { assert, ask, assertSilent, connect, history, inbox, ok, send, writeResult } from "./chat_lib.mjs";

scenario("chat_retry", async () => {
  const conversation = env("CONVERSATION_ID");
  const alice1 = await connect("alice-ws", env("ALICE_TOKEN_1"), "websocket");
  const alice2 = await connect("alice-polling", env("ALICE_TOKEN_2"), "polling");
  const bob = await connect("bob", env("BOB_TOKEN"), "websocket");
  const news = [alice1, alice2, bob].map((s) => inbox(s, "message:new"));
  const payload = { conversation_id: conversation, text: "only once", client_id: "retry-1" };

  // Four copies at once, from both tabs.
  const acks = await Promise.all([
    ask(alice1, "message:send", payload),
    ask(alice1, "message:send", payload),
    ask(alice2, "message:send", payload),
    ask(alice2, "message:send", payload),
  ]);
  const concurrent = ok(acks[0], "first copy").message;
  assert.equal(concurrent.seq, 1);
  for (const [i, ack] of acks.entries()) {
    assert.deepEqual(ok(ack, `copy ${i}`).message, concurrent, `copy ${i} acks the same message`);
  }

  // Later retries, one after the other (a client that never saw its ack).
  const sequential = await send(alice1, conversation, "second one", "retry-2");
  assert.equal(sequential.seq, 2);
  for (const s of [alice1, alice2, alice1]) {
    const again = ok(
      await ask(s, "message:send", { conversation_id: conversation, text: "second one", client_id: "retry-2" }),
      `${s.label} retries retry-2`,
    );
    assert.deepEqual(again.message, sequential, "a later retry acks the same message");
  }
  // The first one again, after the second: still the first.
  const late = ok(await ask(alice2, "message:send", payload), "late retry of retry-1");
  assert.deepEqual(late.message, concurrent);

  // bob's "retry-1" is bob's own message.
  const bobs = await send(bob, conversation, "mine", "retry-1");
  assert.equal(bobs.seq, 3);
  assert.equal(bobs.sender.id, env("BOB_ID"));

  // One message:new per stored message, on every member socket.
  await Promise.all(news.map((box) => box.wait(3)));
  await assertSilent([], "", 500);
  for (const box of news) {
    assert.deepEqual(
      box.list.map((p) => p.message),
      [concurrent, sequential, bobs],
      `${box.name}: one message:new per stored message`,
    );
  }
  const stored = await history(env("BOB_TOKEN"), conversation);
  assert.deepEqual(stored, [concurrent, sequential, bobs], "history holds each message once");
  writeResult({ concurrent, sequential, bobs });
});
