// Scenario: typing indicators. alice types from one tab: both of bob's tabs
// get `typing {conversation_id, user_id, typing: true}`, none of alice's own
// tabs do, nor carol (who shares another conversation with alice). An
// explicit stop is relayed; a stop when not typing is not. Left alone, an
// indicator lapses: `typing: false` arrives by itself ~10 s (TYPING_TTL)
// after the last `typing: true` — never before ~9 s — and a refresh
// postpones it. Two conversations run at once: C1 is never refreshed, C2 is
// refreshed after REFRESH_AFTER_MS, so C1's lapse comes first.
//
// Env: PARLEY_URL, C1, C2 (both alice + bob), ALICE_TOKEN_1, ALICE_TOKEN_2,
// BOB_TOKEN_1, BOB_TOKEN_2, CAROL_TOKEN, ALICE_ID.

import { env, scenario } from "./lib.mjs";
import { assert, ask, assertSilent, connect, inbox, log, ok, refusedWith, sleep } from "./chat_lib.mjs";

/** A lapse must not come earlier than this after the last `typing: true` was sent. */
const NOT_BEFORE_MS = 9_000;
/** ...and must come within this. */
const WITHIN_MS = 20_000;
const REFRESH_AFTER_MS = 4_000;

scenario("chat_typing", async () => {
  const [c1, c2] = [env("C1"), env("C2")];
  const alice = env("ALICE_ID");
  const alice1 = await connect("alice-ws", env("ALICE_TOKEN_1"), "websocket");
  const alice2 = await connect("alice-polling", env("ALICE_TOKEN_2"), "polling");
  const bob1 = await connect("bob-ws", env("BOB_TOKEN_1"), "websocket");
  const bob2 = await connect("bob-polling", env("BOB_TOKEN_2"), "polling");
  const carol = await connect("carol", env("CAROL_TOKEN"), "websocket");
  const bobs = [bob1, bob2].map((s) => inbox(s, "typing"));
  const others = [alice1, alice2, carol].map((s) => inbox(s, "typing"));
  const typing = async (s, conversation_id, value) =>
    ok(await ask(s, "typing", { conversation_id, typing: value }), `${s.label} typing ${value}`);
  const event = (conversation_id, value) => ({ conversation_id, user_id: alice, typing: value });
  const is = (expected) => (e) =>
    e.conversation_id === expected.conversation_id && e.user_id === expected.user_id && e.typing === expected.typing;

  // Start and explicit stop.
  await typing(alice1, c1, true);
  for (const box of bobs) await box.waitFor(is(event(c1, true)), 5_000, "typing: true");
  await typing(alice1, c1, false);
  for (const box of bobs) await box.waitFor(is(event(c1, false)), 5_000, "typing: false");
  await assertSilent([], "", 300);
  for (const box of bobs) {
    assert.deepEqual(box.list, [event(c1, true), event(c1, false)], `${box.name}: start then stop`);
    box.clear();
  }
  // Stopping when not typing announces nothing.
  await typing(alice2, c1, false);
  await assertSilent([...bobs, ...others], "a stop when not typing");

  // Lapse: C1 left alone, C2 refreshed once.
  const sentC1 = Date.now();
  await typing(alice1, c1, true);
  await typing(alice2, c2, true);
  for (const box of bobs) {
    await box.waitFor(is(event(c1, true)), 5_000, "C1 typing: true");
    await box.waitFor(is(event(c2, true)), 5_000, "C2 typing: true");
  }
  await sleep(REFRESH_AFTER_MS);
  const sentC2 = Date.now();
  await typing(alice2, c2, true);

  for (const box of bobs) {
    await box.waitFor(is(event(c1, false)), WITHIN_MS, "C1 to lapse");
    await box.waitFor(is(event(c2, false)), WITHIN_MS, "C2 to lapse");
  }
  for (const box of bobs) {
    // Measured from before each last `typing: true` was emitted, to when the
    // lapse arrived: the server's timer cannot have started earlier.
    const c1Lapse = box.arrival(is(event(c1, false))) - sentC1;
    const c2Lapse = box.arrival(is(event(c2, false))) - sentC2;
    log(`${box.name}: C1 lapsed after ${c1Lapse} ms, C2 ${c2Lapse} ms after its refresh`);
    assert.ok(c1Lapse >= NOT_BEFORE_MS, `${box.name}: C1 lapsed too early: ${c1Lapse} ms`);
    assert.ok(c2Lapse >= NOT_BEFORE_MS, `${box.name}: C2 lapsed too early after its refresh: ${c2Lapse} ms`);
    const stops = box.list.filter((e) => e.typing === false).map((e) => e.conversation_id);
    assert.deepEqual(stops, [c1, c2], `${box.name}: C1 lapses first, each once`);
    for (const e of box.list) assert.equal(e.user_id, alice);
    box.clear();
  }
  await assertSilent(others, "the typist's own tabs and non-members");

  // Refusals: not a member, malformed.
  refusedWith(await ask(carol, "typing", { conversation_id: c1, typing: true }), "not_found", "carol types in C1");
  refusedWith(await ask(alice1, "typing", { conversation_id: c1 }), "invalid_payload", "typing without a value");
  refusedWith(await ask(alice1, "typing", { conversation_id: c1, typing: "yes" }), "invalid_payload", "typing: 'yes'");
  await assertSilent([...bobs, ...others], "after the refusals");
});
