// Scenario: catch-up after a disconnect. bob is connected and sees messages
// live; he disconnects; alice sends MISSED messages over REST meanwhile; bob
// reconnects and `sync {after_seq: <last seen>}` returns exactly those, in
// seq order, with `has_more: false`. Then the Rust side stores many more:
// `sync` returns at most 500 with `has_more: true`, and asking again from the
// last seq returns the rest.
//
// Env: PARLEY_URL, CONVERSATION_ID, BOB_TOKEN, ALICE_ID, MISSED, BULK.
// Protocol: prints ONLINE once bob is connected and has caught up with the
// messages sent before (seq 1..3); waits for LIVE (alice sent seq 4 over
// REST); prints OFFLINE once disconnected; waits for SENT (MISSED more
// sent); prints SYNCED after checking them; waits for BULK (BULK more
// stored), checks the paging and exits.

import { env, hear, say, scenario } from "./lib.mjs";
import { assert, ask, assertSilent, connect, inbox, ok, range, sleep } from "./chat_lib.mjs";

scenario("chat_sync", async () => {
  const conversation = env("CONVERSATION_ID");
  const missed = Number(env("MISSED"));
  const bulk = Number(env("BULK"));
  const sync = async (s, after_seq, what) => {
    const ack = ok(await ask(s, "sync", { conversation_id: conversation, after_seq }), what);
    assert.ok(Array.isArray(ack.messages), `${what}: messages is an array: ${JSON.stringify(ack)}`);
    assert.equal(typeof ack.has_more, "boolean", `${what}: has_more is a boolean`);
    return ack;
  };

  let bob = await connect("bob", env("BOB_TOKEN"), "websocket");
  let news = inbox(bob, "message:new");
  // What was sent before he connected.
  const before = await sync(bob, 0, "initial sync");
  assert.deepEqual(before.messages.map((m) => m.seq), [1, 2, 3]);
  assert.equal(before.has_more, false);
  say("ONLINE");
  await hear("LIVE");
  const live = (await news.wait(1))[0].message;
  assert.equal(live.seq, 4);
  assert.equal(live.sender.id, env("ALICE_ID"));
  let lastSeen = live.seq;

  bob.disconnect();
  await sleep(100);
  say("OFFLINE");
  await hear("SENT", 60_000);

  bob = await connect("bob again", env("BOB_TOKEN"), "polling");
  news = inbox(bob, "message:new");
  const caught = await sync(bob, lastSeen, "sync after the reconnect");
  assert.equal(caught.has_more, false);
  assert.deepEqual(
    caught.messages.map((m) => m.seq),
    range(lastSeen + 1, lastSeen + missed),
    "exactly the missed messages, in order",
  );
  caught.messages.forEach((m, i) => {
    assert.equal(m.text, `missed ${i + 1}`, `missed message ${i + 1}`);
    assert.equal(m.conversation_id, conversation);
    assert.equal(m.sender.id, env("ALICE_ID"));
  });
  lastSeen = caught.messages[caught.messages.length - 1].seq;
  // Up to date: nothing more, and no replay of what was sent while away.
  const none = await sync(bob, lastSeen, "sync when up to date");
  assert.deepEqual(none.messages, []);
  assert.equal(none.has_more, false);
  await assertSilent([news], "a reconnected socket gets no replay");
  // From further back: the older ones too, still in order.
  const older = await sync(bob, 2, "sync from seq 2");
  assert.deepEqual(older.messages.map((m) => m.seq), range(3, lastSeen));
  say("SYNCED");

  await hear("BULK", 120_000);
  const first = await sync(bob, lastSeen, "sync of the bulk, first round");
  assert.equal(first.messages.length, 500, "at most 500 per sync");
  assert.equal(first.has_more, true, "has_more says to ask again");
  assert.deepEqual(first.messages.map((m) => m.seq), range(lastSeen + 1, lastSeen + 500));
  const next = first.messages[first.messages.length - 1].seq;
  const second = await sync(bob, next, "sync of the bulk, second round");
  assert.equal(second.has_more, false);
  assert.deepEqual(second.messages.map((m) => m.seq), range(next + 1, lastSeen + bulk));
});
