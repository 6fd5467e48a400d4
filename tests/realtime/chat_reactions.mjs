// Scenario: reactions reach the members live. alice and bob are in a direct
// conversation, carol is not. Once every socket is connected (READY), the
// Rust side reacts as bob over REST (REACTED): both members' sockets get one
// `message:updated` carrying the message with bob's 👍, carol gets nothing.
// Then bob takes it back (UNREACTED): one more `message:updated`, with no
// reactions.
//
// Env: PARLEY_URL, CONVERSATION_ID, MESSAGE_ID, ALICE_TOKEN, BOB_TOKEN,
// BOB_ID, CAROL_TOKEN.

import { env, say, hear, scenario } from "./lib.mjs";
import { assert, assertSilent, connect, inbox } from "./chat_lib.mjs";

scenario("chat_reactions", async () => {
  const alice = await connect("alice", env("ALICE_TOKEN"), "websocket");
  const bob = await connect("bob", env("BOB_TOKEN"), "polling");
  const carol = await connect("carol", env("CAROL_TOKEN"), "websocket");
  const updated = [alice, bob].map((s) => inbox(s, "message:updated"));
  const carolUpdated = inbox(carol, "message:updated");
  say("READY");

  await hear("REACTED");
  await Promise.all(updated.map((box) => box.wait(1)));
  for (const box of updated) {
    const { message } = box.list[0];
    assert.equal(message.id, env("MESSAGE_ID"));
    assert.equal(message.conversation_id, env("CONVERSATION_ID"));
    assert.deepEqual(message.reactions, [{ emoji: "👍", count: 1, user_ids: [env("BOB_ID")] }]);
  }
  say("SEEN");

  await hear("UNREACTED");
  await Promise.all(updated.map((box) => box.wait(2)));
  for (const box of updated) {
    assert.equal(box.list.length, 2, `${box.name}: one event per change`);
    assert.deepEqual(box.list[1].message.reactions, []);
  }
  await assertSilent([carolUpdated], "carol is not a member");
});
