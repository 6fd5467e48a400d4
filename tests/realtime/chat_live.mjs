// Scenario: two users chat live. alice has one socket, bob two tabs (one per
// transport), carol (not a member) one. Every `message:send` is acked with
// the stored message, and `message:new` with exactly that message reaches
// every socket of every member — the sender's own too — and nobody else.
// Then the Rust side edits and deletes over REST: `message:updated` and
// `message:deleted` reach the members only.
//
// Env: PARLEY_URL, CONVERSATION_ID, ALICE_TOKEN, ALICE_ID, BOB_TOKEN_1,
// BOB_TOKEN_2, BOB_ID, CAROL_TOKEN, RESULT_FILE.
// Protocol: prints EXCHANGED after the two messages (their acks are in
// RESULT_FILE as {first, reply}); waits for CHANGED (alice's message was
// edited to "hello bob (edited)", bob's deleted), then checks the events.

import { env, say, hear, scenario } from "./lib.mjs";
import { assert, assertGot, assertSilent, connect, inbox, send, writeResult } from "./chat_lib.mjs";

scenario("chat_live", async () => {
  const conversation = env("CONVERSATION_ID");
  const alice = await connect("alice", env("ALICE_TOKEN"), "websocket");
  const bob1 = await connect("bob-ws", env("BOB_TOKEN_1"), "websocket");
  const bob2 = await connect("bob-polling", env("BOB_TOKEN_2"), "polling");
  const carol = await connect("carol", env("CAROL_TOKEN"), "websocket");
  const members = [alice, bob1, bob2];
  const news = Object.fromEntries([...members, carol].map((s) => [s.label, inbox(s, "message:new")]));
  const memberNews = members.map((s) => news[s.label]);

  // alice → bob.
  const first = await send(alice, conversation, "hello bob", "alice-1");
  assert.equal(first.seq, 1);
  assert.equal(first.sender.id, env("ALICE_ID"));
  assert.equal(first.deleted, false);
  assert.equal(first.edited_at, null);
  await Promise.all(memberNews.map((box) => box.wait(1)));
  assertGot(memberNews, [{ message: first }], "alice's message");

  // bob answers from his polling tab.
  const reply = await send(bob2, conversation, "hi alice", "bob-1");
  assert.equal(reply.seq, 2);
  assert.equal(reply.sender.id, env("BOB_ID"));
  await Promise.all(memberNews.map((box) => box.wait(1)));
  assertGot(memberNews, [{ message: reply }], "bob's reply");
  await assertSilent([...memberNews, news.carol], "after the exchange");

  writeResult({ first, reply });
  const updated = members.map((s) => inbox(s, "message:updated"));
  const deleted = members.map((s) => inbox(s, "message:deleted"));
  const carolAll = [inbox(carol, "message:updated"), inbox(carol, "message:deleted")];
  say("EXCHANGED");
  await hear("CHANGED");

  await Promise.all([...updated, ...deleted].map((box) => box.wait(1)));
  for (const box of updated) {
    assert.equal(box.list.length, 1, `${box.name}: one message:updated`);
    const { message } = box.list[0];
    assert.equal(message.id, first.id);
    assert.equal(message.seq, 1);
    assert.equal(message.text, "hello bob (edited)");
    assert.equal(typeof message.edited_at, "string", "edited_at is set");
    assert.equal(message.created_at, first.created_at);
  }
  assertGot(deleted, [{ conversation_id: conversation, id: reply.id }], "bob's deletion");
  await assertSilent([...carolAll, news.carol, ...memberNews], "after the edit and the deletion");
});
