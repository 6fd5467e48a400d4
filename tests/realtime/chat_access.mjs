// Scenario: membership is the access rule on the socket too. mallory (never
// a member) can neither send to, sync, mark read nor type in group G — each
// acks `not_found` — and never receives its `message:new`. Malformed
// payloads ack `invalid_payload`, invalid values `validation_failed`. Then
// the Rust side makes carol leave G and adds dave: from that moment carol's
// sockets stop receiving G (checked for a second) while her other
// conversation still reaches her, and dave's already-connected socket
// receives G and can sync its whole history.
//
// Env: PARLEY_URL, G, D_AC (alice + carol), ALICE_TOKEN, BOB_TOKEN,
// CAROL_TOKEN, DAVE_TOKEN, MALLORY_TOKEN, RESULT_FILE.
// Protocol: READY once connected; STEP1 after the first part; waits for
// CHANGED (carol left G, dave was added). Output: RESULT_FILE = {m1, m2, d1}.

import { env, hear, say, scenario } from "./lib.mjs";
import {
  assert,
  ask,
  assertGot,
  assertSilent,
  connect,
  inbox,
  ok,
  refusedWith,
  rest,
  send,
  sleep,
  writeResult,
} from "./chat_lib.mjs";

scenario("chat_access", async () => {
  const [g, dac] = [env("G"), env("D_AC")];
  const alice = await connect("alice", env("ALICE_TOKEN"), "websocket");
  const bob = await connect("bob", env("BOB_TOKEN"), "polling");
  const carol = await connect("carol", env("CAROL_TOKEN"), "websocket");
  const dave = await connect("dave", env("DAVE_TOKEN"), "polling");
  const mallory = await connect("mallory", env("MALLORY_TOKEN"), "websocket");
  const news = Object.fromEntries([alice, bob, carol, dave, mallory].map((s) => [s.label, inbox(s, "message:new")]));
  say("READY");

  // An outsider: not_found for everything, and no trace of it anywhere.
  const unknown = "0190a0a0-0000-7000-8000-000000000001";
  for (const [event, payload] of [
    ["message:send", { conversation_id: g, text: "let me in", client_id: "m-1" }],
    ["message:send", { conversation_id: unknown, text: "anyone?", client_id: "m-2" }],
    ["sync", { conversation_id: g, after_seq: 0 }],
    ["read", { conversation_id: g, seq: 1 }],
    ["typing", { conversation_id: g, typing: true }],
  ]) {
    refusedWith(await ask(mallory, event, payload), "not_found", `mallory: ${event} ${JSON.stringify(payload)}`);
  }
  // Malformed payloads and invalid values.
  // Each names the offending field in `fields`, as REST names a field it refuses.
  for (const [bad, field] of [
    [{ conversation_id: "not-a-uuid", text: "x", client_id: "b-1" }, "conversation_id"],
    [{ text: "x", client_id: "b-2" }, "conversation_id"],
    [{ conversation_id: g, text: 5, client_id: "b-3" }, "text"],
    [{ conversation_id: g, client_id: "b-4" }, "text"],
    ["hello", "payload"],
  ]) {
    const error = refusedWith(await ask(alice, "message:send", bad), "invalid_payload", `message:send ${JSON.stringify(bad)}`);
    assert.equal(typeof error.fields?.[field], "string", `invalid_payload names ${field}: ${JSON.stringify(error)}`);
  }
  refusedWith(await ask(alice, "sync", { conversation_id: g }), "invalid_payload", "sync without after_seq");
  // The same code, message and fields as REST answers for the same send.
  for (const [text, client_id, field] of [
    ["", "v-1", "text"],
    ["   ", "v-2", "text"],
    ["a".repeat(4001), "v-3", "text"],
    ["ok", "c".repeat(101), "client_id"],
  ]) {
    const what = `message:send text of ${text.length}, client_id of ${client_id.length}`;
    const error = refusedWith(
      await ask(alice, "message:send", { conversation_id: g, text, client_id }),
      "validation_failed",
      what,
    );
    const viaRest = await rest("POST", `/api/v1/conversations/${g}/messages`, env("ALICE_TOKEN"), { text, client_id });
    assert.equal(viaRest.status, 422, `${what} over REST`);
    assert.deepEqual(error, viaRest.body.error, `${what}: the ack's error is the REST answer's`);
    assert.equal(typeof error.fields?.[field], "string", `${what}: fields.${field}`);
  }
  await assertSilent(Object.values(news), "refused sends announce nothing");
  const empty = ok(await ask(bob, "sync", { conversation_id: g, after_seq: 0 }), "bob syncs G");
  assert.deepEqual(empty.messages, [], "refused sends stored nothing");

  // The members get G's messages; dave and mallory do not.
  const m1 = await send(alice, g, "first", "g-1");
  assert.equal(m1.seq, 1);
  const members = [news.alice, news.bob, news.carol];
  await Promise.all(members.map((box) => box.wait(1)));
  await assertSilent([news.dave, news.mallory], "outsiders");
  assertGot(members, [{ message: m1 }], "m1");
  say("STEP1");
  await hear("CHANGED");

  // carol left at once; dave is in at once.
  const m2 = await send(alice, g, "second", "g-2");
  assert.equal(m2.seq, 2);
  const now = [news.alice, news.bob, news.dave];
  await Promise.all(now.map((box) => box.wait(1)));
  await assertSilent([news.carol, news.mallory], "after carol left, for a second", 1_000);
  assertGot(now, [{ message: m2 }], "m2");
  for (const [event, payload] of [
    ["message:send", { conversation_id: g, text: "still here?", client_id: "c-1" }],
    ["sync", { conversation_id: g, after_seq: 0 }],
    ["read", { conversation_id: g, seq: 2 }],
    ["typing", { conversation_id: g, typing: true }],
  ]) {
    refusedWith(await ask(carol, event, payload), "not_found", `carol after leaving: ${event}`);
  }
  const history = ok(await ask(dave, "sync", { conversation_id: g, after_seq: 0 }), "dave syncs G");
  assert.deepEqual(history.messages, [m1, m2], "a new member reads the whole history");
  assert.equal(history.has_more, false);

  // carol's other conversation still reaches her (and only its members).
  const d1 = await send(alice, dac, "just us", "d-1");
  await Promise.all([news.alice.wait(1), news.carol.wait(1)]);
  await sleep(300);
  assertGot([news.alice, news.carol], [{ message: d1 }], "alice → carol");
  await assertSilent([news.bob, news.dave, news.mallory], "a direct conversation's message");
  writeResult({ m1, m2, d1 });
});
