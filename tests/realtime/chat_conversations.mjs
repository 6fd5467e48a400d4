// Scenario: a conversation shows up at once, not with its first message.
// alice starts a group with bob: both get `conversation:created` (carol, not a
// member, does not); alice starts a direct conversation with carol: both get
// it, before any message; asking for the same direct one again announces
// nothing. alice adds carol to the group: every member, carol included, gets
// `conversation:updated` with carol among the members, and carol's socket is
// in the group's room at once (she gets its next message). bob leaves: bob
// and the remaining members get `conversation:updated` without him, and bob
// no longer receives the group's messages.
//
// Env: PARLEY_URL, ALICE_TOKEN, BOB_TOKEN, CAROL_TOKEN, ALICE_ID, BOB_ID,
// CAROL_ID. Protocol: DONE at the end.

import { env, say, scenario } from "./lib.mjs";
import { assert, assertSilent, connect, inbox, rest, send } from "./chat_lib.mjs";

scenario("chat_conversations", async () => {
  const [aliceId, bobId, carolId] = [env("ALICE_ID"), env("BOB_ID"), env("CAROL_ID")];
  const alice = await connect("alice", env("ALICE_TOKEN"), "websocket");
  const bob = await connect("bob", env("BOB_TOKEN"), "polling");
  const carol = await connect("carol", env("CAROL_TOKEN"), "websocket");
  const sockets = [alice, bob, carol];
  const created = Object.fromEntries(sockets.map((s) => [s.label, inbox(s, "conversation:created")]));
  const updated = Object.fromEntries(sockets.map((s) => [s.label, inbox(s, "conversation:updated")]));
  const news = Object.fromEntries(sockets.map((s) => [s.label, inbox(s, "message:new")]));
  const memberIds = (c) => c.members.map((m) => m.id).sort();

  // A new group: its members hear of it, each with their own view.
  const group = await rest("POST", "/api/v1/conversations", env("ALICE_TOKEN"), { usernames: ["bob"], title: "plans" });
  assert.equal(group.status, 201, `create the group: ${JSON.stringify(group.body)}`);
  const g = group.body.id;
  for (const who of ["alice", "bob"]) {
    const [event] = await created[who].wait(1);
    assert.equal(event.conversation.id, g, `${who}: conversation:created names the group`);
    assert.equal(event.conversation.kind, "group");
    assert.equal(event.conversation.title, "plans");
    assert.deepEqual(memberIds(event.conversation), [aliceId, bobId].sort(), `${who}: members`);
    assert.equal(event.conversation.unread_count, 0, `${who}: nothing unread yet`);
    assert.equal(event.conversation.last_message, null);
    created[who].clear();
  }
  await assertSilent([created.carol], "carol is not in the group");

  // A direct conversation, announced before its first message; reopening it is not news.
  const direct = await rest("POST", "/api/v1/conversations", env("ALICE_TOKEN"), { usernames: ["carol"] });
  assert.equal(direct.status, 201, `start the direct conversation: ${JSON.stringify(direct.body)}`);
  for (const who of ["alice", "carol"]) {
    const [event] = await created[who].wait(1);
    assert.equal(event.conversation.id, direct.body.id, `${who}: conversation:created names the direct one`);
    assert.equal(event.conversation.kind, "direct");
    created[who].clear();
  }
  const again = await rest("POST", "/api/v1/conversations", env("CAROL_TOKEN"), { usernames: ["alice"] });
  assert.equal(again.status, 200, "the same pair gets the existing conversation");
  assert.equal(again.body.id, direct.body.id);
  await assertSilent(Object.values(created), "an existing direct conversation is not announced again");

  // carol joins the group: everyone, carol too, sees the new member list, and
  // her socket gets the group's next message.
  const added = await rest("POST", `/api/v1/conversations/${g}/members`, env("ALICE_TOKEN"), { username: "carol" });
  assert.equal(added.status, 200, `add carol: ${JSON.stringify(added.body)}`);
  for (const who of ["alice", "bob", "carol"]) {
    const [event] = await updated[who].wait(1);
    assert.equal(event.conversation.id, g);
    assert.deepEqual(memberIds(event.conversation), [aliceId, bobId, carolId].sort(), `${who}: members after the add`);
    updated[who].clear();
  }
  const hello = await send(alice, g, "welcome carol", "c-1");
  for (const who of ["alice", "bob", "carol"]) {
    const event = await news[who].waitFor((e) => e.message.id === hello.id);
    assert.equal(event.message.seq, hello.seq);
    news[who].clear();
  }

  // bob leaves: he and the others see the list without him; the group's
  // messages stop reaching him.
  const left = await rest("DELETE", `/api/v1/conversations/${g}/members/me`, env("BOB_TOKEN"));
  assert.equal(left.status, 204, `bob leaves: ${JSON.stringify(left.body)}`);
  for (const who of ["alice", "bob", "carol"]) {
    const [event] = await updated[who].wait(1);
    assert.equal(event.conversation.id, g);
    assert.deepEqual(memberIds(event.conversation), [aliceId, carolId].sort(), `${who}: members after bob left`);
    updated[who].clear();
  }
  const after = await send(carol, g, "bye bob", "c-2");
  for (const who of ["alice", "carol"]) await news[who].waitFor((e) => e.message.id === after.id);
  await assertSilent([news.bob], "bob left the group");

  for (const s of sockets) s.disconnect();
  say("DONE");
});
