// Scenario: the per-user message limit on the socket. The server allows
// LIMIT messages per (long) window. alice fires LIMIT + 3 sends at once from
// two tabs: exactly LIMIT are acked ok (seq 1..LIMIT) and the others ack
// `{ok: false, error: {code: "rate_limited", message, retry_after}}`, with
// nothing stored or announced for them; further sends stay refused. bob,
// another user, still sends.
//
// Env: PARLEY_URL, CONVERSATION_ID, ALICE_TOKEN_1, ALICE_TOKEN_2, BOB_TOKEN,
// LIMIT, WINDOW_SECS.

import { env, scenario } from "./lib.mjs";
import { assert, ask, assertSilent, connect, history, inbox, range, refusedWith, send } from "./chat_lib.mjs";

scenario("chat_ratelimit", async () => {
  const conversation_id = env("CONVERSATION_ID");
  const limit = Number(env("LIMIT"));
  const window = Number(env("WINDOW_SECS"));
  const tab1 = await connect("alice-ws", env("ALICE_TOKEN_1"), "websocket");
  const tab2 = await connect("alice-polling", env("ALICE_TOKEN_2"), "polling");
  const bob = await connect("bob", env("BOB_TOKEN"), "websocket");
  const news = inbox(bob, "message:new");

  const acks = await Promise.all(
    range(1, limit + 3).map((i) =>
      ask(i % 2 ? tab1 : tab2, "message:send", { conversation_id, text: `burst ${i}`, client_id: `burst-${i}` }),
    ),
  );
  const accepted = acks.filter((a) => a?.ok === true);
  const refused = acks.filter((a) => a?.ok !== true);
  assert.equal(accepted.length, limit, `exactly ${limit} accepted: ${JSON.stringify(acks)}`);
  assert.deepEqual(accepted.map((a) => a.message.seq).sort((a, b) => a - b), range(1, limit));
  const checkRefusal = (ack, what) => {
    const error = refusedWith(ack, "rate_limited", what);
    assert.ok(
      Number.isInteger(error.retry_after) && error.retry_after >= 1 && error.retry_after <= window,
      `${what}: retry_after in seconds: ${JSON.stringify(ack)}`,
    );
  };
  refused.forEach((ack, i) => checkRefusal(ack, `refused send ${i}`));
  // Still refused afterwards, from either tab.
  for (const s of [tab1, tab2]) {
    checkRefusal(
      await ask(s, "message:send", { conversation_id, text: "later", client_id: `later-${s.label}` }),
      `${s.label}: a later send`,
    );
  }

  await news.wait(limit);
  await assertSilent([], "", 500);
  assert.equal(news.list.length, limit, "refused sends are not announced");
  const stored = await history(env("BOB_TOKEN"), conversation_id);
  assert.deepEqual(stored.map((m) => m.seq), range(1, limit), "refused sends are not stored");
  const acceptedIds = new Set(accepted.map((a) => a.message.client_id));
  for (const m of stored) assert.ok(acceptedIds.has(m.client_id), `${m.client_id} was acked ok`);

  // The limit is alice's, not the conversation's.
  const bobs = await send(bob, conversation_id, "my turn", "bob-1");
  assert.equal(bobs.seq, limit + 1);
});
