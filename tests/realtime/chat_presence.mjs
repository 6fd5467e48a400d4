// Scenario: presence across tabs. alice opens two tabs and closes them one
// by one. Those who may know — wanda (asked with `presence:watch`), bob
// (shares a conversation with alice) and fred (follows her) — see her online
// when her first tab connects, nothing when the second connects or the first
// closes, and offline with `last_seen_at` when the last one closes. carol,
// unrelated and not watching, sees nothing. `presence:watch` acks the current
// state each time; the REST profile agrees at the end.
//
// Env: PARLEY_URL, ALICE_TOKEN_1, ALICE_TOKEN_2, ALICE_ID, WANDA_TOKEN,
// BOB_TOKEN, FRED_TOKEN, CAROL_TOKEN.

import { env, scenario } from "./lib.mjs";
import { assert, ask, assertSilent, connect, inbox, ok, refusedWith, rest, sleep } from "./chat_lib.mjs";

scenario("chat_presence", async () => {
  const alice = env("ALICE_ID");
  const wanda = await connect("wanda", env("WANDA_TOKEN"), "websocket");
  const bob = await connect("bob", env("BOB_TOKEN"), "polling");
  const fred = await connect("fred", env("FRED_TOKEN"), "websocket");
  const carol = await connect("carol", env("CAROL_TOKEN"), "websocket");
  // Let the announcements of these connections go by.
  await sleep(300);
  const audience = [wanda, bob, fred].map((s) => inbox(s, "presence"));
  const stranger = inbox(carol, "presence");
  const watch = async () => {
    const ack = ok(await ask(wanda, "presence:watch", { user_ids: [alice] }), "presence:watch");
    assert.ok(Array.isArray(ack.presence), `presence is an array: ${JSON.stringify(ack)}`);
    assert.equal(ack.presence.length, 1, `one entry per watched user: ${JSON.stringify(ack)}`);
    assert.equal(ack.presence[0].user_id, alice);
    return ack.presence[0];
  };
  const expectAll = async (what) => {
    await Promise.all(audience.map((box) => box.wait(1, 5_000, what)));
    await sleep(300);
    const first = audience[0].list[0];
    for (const box of audience) {
      assert.deepEqual(box.list, [first], `${what}: ${box.name} gets it once, like the others`);
      box.clear();
    }
    assert.deepEqual(stranger.list, [], `${what}: carol must not hear of it`);
    return first;
  };

  const before = await watch();
  assert.equal(before.online, false, "not connected yet");
  assert.equal(before.last_seen_at, null, "never seen");

  // First tab: online.
  const tab1 = await connect("alice tab 1", env("ALICE_TOKEN_1"), "websocket");
  const online = await expectAll("first tab");
  assert.deepEqual(online, { user_id: alice, online: true, last_seen_at: null });
  assert.equal((await watch()).online, true);

  // Second tab, then closing the first: still online, nothing to say.
  const tab2 = await connect("alice tab 2", env("ALICE_TOKEN_2"), "polling");
  await assertSilent([...audience, stranger], "second tab connected");
  tab1.disconnect();
  await assertSilent([...audience, stranger], "first tab closed, one left");
  assert.equal((await watch()).online, true, "one tab is enough");

  // Last tab: offline, with when.
  const closedAt = Date.now();
  tab2.disconnect();
  const offline = await expectAll("last tab closed");
  assert.equal(offline.user_id, alice);
  assert.equal(offline.online, false);
  assert.equal(typeof offline.last_seen_at, "string", `last_seen_at: ${JSON.stringify(offline)}`);
  const seen = Date.parse(offline.last_seen_at);
  assert.ok(Math.abs(seen - closedAt) < 30_000, `last_seen_at ${offline.last_seen_at} is about now`);
  assert.deepEqual(await watch(), offline, "presence:watch acks the same state");

  const { status, body } = await rest("GET", "/api/v1/users/alice", env("CAROL_TOKEN"));
  assert.equal(status, 200);
  assert.equal(body.online, false);
  assert.equal(body.last_seen_at, offline.last_seen_at, "the profile's last_seen_at");

  // A malformed watch is refused; unknown users are simply absent.
  for (const bad of [{ user_ids: ["not-a-uuid"] }, {}, { user_ids: "x" }]) {
    refusedWith(await ask(wanda, "presence:watch", bad), "invalid_payload", `watch ${JSON.stringify(bad)}`);
  }
  const unknown = "0190a0a0-0000-7000-8000-000000000000";
  const ack = ok(await ask(wanda, "presence:watch", { user_ids: [unknown] }), "watch an unknown user");
  assert.deepEqual(ack.presence, []);
});
