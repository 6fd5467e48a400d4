// Scenario: an event sent the moment a socket connects is handled and
// acknowledged like any other. This is what real clients do: catch up with
// `sync` in their `connect` handler, or flush messages queued while offline
// (socket.io-client buffers emits made before the connection is up and sends
// them right after the server's CONNECT). Each try opens a new websocket and
// emits `sync` or `message:send` either before the connection is up
// (buffered, flushed on connect) or from the `connect` event; every one must
// be acked. The script stops after 3 unacknowledged tries.
//
// Env: PARLEY_URL, CONVERSATION_ID, TOKEN, TRIES (a multiple of 4).

import { connected, env, log, scenario, socket, withTimeout } from "./lib.mjs";
import { assert, ok } from "./chat_lib.mjs";

/** An ack normally takes milliseconds; one that has not come by then never will. */
const ACK_WAIT_MS = 3_000;

scenario("chat_connect_race", async () => {
  const conversation_id = env("CONVERSATION_ID");
  const tries = Number(env("TRIES"));
  const unacked = [];
  let acked = 0;
  for (let i = 0; i < tries && unacked.length < 3; i++) {
    const beforeConnect = i % 2 === 0;
    const [event, payload] =
      i % 4 < 2
        ? ["sync", { conversation_id, after_seq: 0 }]
        : ["message:send", { conversation_id, text: `sent on connect ${i}`, client_id: `race-${i}` }];
    const what = `try ${i}: ${event} ${beforeConnect ? "emitted before connect" : "emitted on connect"}`;
    const s = socket("websocket", { auth: { token: env("TOKEN") } });
    const fire = () => withTimeout(s.emitWithAck(event, payload), ACK_WAIT_MS, what);
    let ack;
    if (beforeConnect) {
      ack = fire();
      ack.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
      await connected(s, what);
    } else {
      await connected(s, what);
      ack = fire();
    }
    try {
      ok(await ack, what);
      acked += 1;
    } catch (e) {
      log(`${what}: ${e.message}`);
      unacked.push(what);
    }
    s.disconnect();
  }
  log(`${acked} acknowledged, ${unacked.length} never acknowledged`);
  assert.deepEqual(
    unacked,
    [],
    `events sent right on connect were never acknowledged (${unacked.length} of ${acked + unacked.length} tries)`,
  );
});
