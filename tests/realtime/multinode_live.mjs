// Scenario: two nodes behave as one. alice is on node A, bob on node B.
// Messages, typing and presence cross nodes both ways; alice's second tab on
// B keeps her online when her tab on A closes, and she goes offline for bob
// only when her last tab (on B) closes; alice's post (REST on A) reaches bob
// (a follower) on B; signing bob's other session out on B disconnects its
// socket on A (through the adapter, not the 30 s sweep).
//
// Env: A_URL, B_URL, D (alice + bob), ALICE_TOKEN, ALICE_ID, BOB_TOKEN,
// BOB_ID, BOB2_TOKEN (bob's second session). Protocol: DONE at the end.

import { disconnected, env, log, say, scenario } from "./lib.mjs";
import { assert, ask, connectAt, EVENT_MS, inbox, ok, send } from "./chat_lib.mjs";

scenario("multinode_live", async () => {
  const [a, b, d] = [env("A_URL"), env("B_URL"), env("D")];
  const [aliceId, bobId] = [env("ALICE_ID"), env("BOB_ID")];
  const alice = await connectAt(a, "alice@A", env("ALICE_TOKEN"), "websocket");
  const bob = await connectAt(b, "bob@B", env("BOB_TOKEN"), "polling");
  const bobNews = inbox(bob, "message:new");
  const aliceNews = inbox(alice, "message:new");

  // Presence is shared: bob, on B, sees alice (on A) online.
  const watched = ok(await ask(bob, "presence:watch", { user_ids: [aliceId] }), "bob watches alice");
  assert.deepEqual(watched.presence.map((p) => [p.user_id, p.online]), [[aliceId, true]], "alice is online on A");
  const presence = inbox(bob, "presence");

  // Messages both ways.
  const hello = await send(alice, d, "hello from A", "a-1");
  const got = await bobNews.waitFor((e) => e.message.id === hello.id);
  assert.equal(got.message.seq, hello.seq, "bob on B gets alice's message from A");
  const reply = await send(bob, d, "hi from B", "b-1");
  await aliceNews.waitFor((e) => e.message.id === reply.id);

  // Typing both ways.
  const aliceTyping = inbox(alice, "typing");
  ok(await ask(bob, "typing", { conversation_id: d, typing: true }), "bob types on B");
  const typing = await aliceTyping.waitFor((e) => e.user_id === bobId && e.typing === true);
  assert.equal(typing.conversation_id, d);
  ok(await ask(bob, "typing", { conversation_id: d, typing: false }), "bob stops on B");
  await aliceTyping.waitFor((e) => e.user_id === bobId && e.typing === false);

  // alice's second tab on B keeps her online when the tab on A closes.
  const alice2 = await connectAt(b, "alice@B", env("ALICE_TOKEN"), "websocket");
  alice.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.deepEqual(presence.list.filter((p) => p.online === false), [], "a tab left on B: still online");
  const again = ok(await ask(bob, "presence:watch", { user_ids: [aliceId] }), "bob asks again");
  assert.equal(again.presence[0].online, true, "online through her tab on B");
  alice2.disconnect();
  const offline = await presence.waitFor((p) => p.user_id === aliceId && p.online === false, EVENT_MS, "alice offline");
  assert.equal(typeof offline.last_seen_at, "string", "last_seen_at comes with offline");

  // A post made on A reaches her follower on B.
  const posts = inbox(bob, "post:created");
  const author = await connectAt(a, "alice@A again", env("ALICE_TOKEN"), "websocket");
  const created = await fetch(`${a}/api/v1/posts`, {
    method: "POST",
    headers: { authorization: `Bearer ${env("ALICE_TOKEN")}`, "content-type": "application/json" },
    body: JSON.stringify({ text: "posted on node A #multinode" }),
  });
  assert.equal(created.status, 201, "alice posts on A");
  const post = await created.json();
  const event = await posts.waitFor((e) => e.post.id === post.id);
  assert.deepEqual(event.post.hashtags, ["multinode"]);
  author.disconnect();

  // Signing a session out on B disconnects its socket on A at once.
  const bob2 = await connectAt(a, "bob2@A", env("BOB2_TOKEN"), "websocket");
  const started = Date.now();
  const signout = await fetch(`${b}/api/v1/auth/signout`, {
    method: "POST",
    headers: { authorization: `Bearer ${env("BOB2_TOKEN")}` },
  });
  assert.equal(signout.status, 204, "bob's second session signs out on B");
  // The session sweep runs every 30 s: a disconnect well within that is the adapter's.
  await disconnected(bob2, "bob2 on A", 5_000);
  log(`bob2's socket on A was disconnected ${Date.now() - started} ms after the sign-out on B`);
  assert.ok(bob.connected, "bob's own session on B is untouched");

  bob.disconnect();
  say("DONE");
});
