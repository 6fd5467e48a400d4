// Scenario: read receipts over the socket. bob marks read with `read`; every
// member socket (alice's, and bob's other tab) gets `read {conversation_id,
// user_id, seq}`; a marker moved back or to where it is changes nothing and
// sends nothing; a seq beyond the last message is clamped to it. The Rust
// side checks unread counts and markers over REST between steps.
//
// Env: PARLEY_URL, CONVERSATION_ID, ALICE_TOKEN, BOB_TOKEN_1, BOB_TOKEN_2,
// BOB_ID. alice sent seq 1..5 before.
// Protocol: READY, then after each step a word (READ3, BACK, CLAMPED) and
// waits for CHECKED.

import { env, hear, say, scenario } from "./lib.mjs";
import { assert, ask, assertGot, assertSilent, connect, inbox, ok, refusedWith } from "./chat_lib.mjs";

scenario("chat_receipts", async () => {
  const conversation_id = env("CONVERSATION_ID");
  const alice = await connect("alice", env("ALICE_TOKEN"), "websocket");
  const bob1 = await connect("bob-ws", env("BOB_TOKEN_1"), "websocket");
  const bob2 = await connect("bob-polling", env("BOB_TOKEN_2"), "polling");
  const reads = [alice, bob1, bob2].map((s) => inbox(s, "read"));
  const receipt = (seq) => ({ conversation_id, user_id: env("BOB_ID"), seq });
  const read = async (s, seq) => ok(await ask(s, "read", { conversation_id, seq }), `${s.label} reads ${seq}`);
  say("READY");

  await read(bob1, 3);
  await Promise.all(reads.map((box) => box.wait(1)));
  await assertSilent([], "", 300);
  assertGot(reads, [receipt(3)], "bob read up to 3");
  say("READ3");
  await hear("CHECKED");

  // Backward, and to where it already is: no change, no receipt.
  await read(bob2, 2);
  await read(bob1, 0);
  await read(bob2, 3);
  await assertSilent(reads, "a marker that did not move");
  say("BACK");
  await hear("CHECKED");

  // Beyond the last message: clamped to it (5).
  await read(bob1, 99);
  await Promise.all(reads.map((box) => box.wait(1)));
  await assertSilent([], "", 300);
  assertGot(reads, [receipt(5)], "bob read everything");
  await read(bob2, 99);
  await assertSilent(reads, "already at the end");
  say("CLAMPED");
  await hear("CHECKED");

  // Refusals: a negative seq is invalid; a payload of the wrong shape is
  // refused as such; nothing is announced.
  refusedWith(await ask(bob1, "read", { conversation_id, seq: -1 }), "validation_failed", "seq -1");
  for (const bad of [{ conversation_id, seq: "x" }, { seq: 1 }, { conversation_id: "nope", seq: 1 }, "read"]) {
    refusedWith(await ask(bob1, "read", bad), "invalid_payload", `read ${JSON.stringify(bad)}`);
  }
  await assertSilent(reads, "refused reads");
  assert.ok(bob1.connected && bob2.connected, "refusals do not disconnect");
});
