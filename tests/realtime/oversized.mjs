// Scenario: the configured maximum message size applies to what clients send
// on both transports. A message just under the limit is accepted (the
// connection then still works both ways); one over it closes the connection:
// over websocket the frame is refused by the websocket reader, over polling
// the POST gets 413 and the session ends.
//
// Env: PARLEY_URL, TOKEN, MAX_MESSAGE (the server's max_socket_message, bytes).
// Protocol: prints SENT_NORMAL after the near-limit messages went out; waits
// for EMITTED (the server emitted `test:alive` to the user), then goes on.

import assert from "node:assert/strict";
import {
  TRANSPORTS,
  connected,
  disconnected,
  env,
  hear,
  log,
  next,
  say,
  scenario,
  sleep,
  socket,
} from "./lib.mjs";

scenario("oversized", async () => {
  const max = Number(env("MAX_MESSAGE"));
  assert.ok(max > 1024, "MAX_MESSAGE is a size in bytes");
  const token = env("TOKEN");
  const sockets = {};
  for (const transport of TRANSPORTS) {
    sockets[transport] = await connected(
      socket(transport, { auth: { token } }),
      `a socket over ${transport}`,
    );
  }

  // `42["test:small","xxx…"]` stays ~180 bytes under the limit.
  const nearLimit = "x".repeat(max - 200);
  for (const s of Object.values(sockets)) s.emit("test:small", nearLimit);
  await sleep(300);
  const alive = Object.values(sockets).map((s) => next(s, "test:alive", "after a near-limit message"));
  say("SENT_NORMAL");
  await hear("EMITTED");
  for (const payload of await Promise.all(alive)) assert.deepEqual(payload, { ok: true });
  for (const [transport, s] of Object.entries(sockets)) {
    assert.equal(s.connected, true, `${transport}: a near-limit message keeps the connection`);
  }

  const tooBig = "x".repeat(max * 4);
  for (const transport of TRANSPORTS) {
    const s = sockets[transport];
    s.emit("test:big", tooBig);
    const reason = await disconnected(s, `${transport} after an oversized message`);
    log(`${transport}: oversized message -> disconnect (${reason})`);
    assert.ok(
      ["transport close", "transport error"].includes(reason),
      `${transport}: the server closed the transport, got "${reason}"`,
    );
  }
});
