// Scenario: acknowledged means durable, even through a crash. Each sender
// keeps IN_FLIGHT `message:send` in flight on its socket, all the time. Every
// ok ack is appended to RESULT_FILE (one JSON line) the moment it arrives;
// once ACK_TARGET acks are in, the script prints ACKED and keeps sending
// while the Rust side kills the server (SIGKILL). The script ends when every
// socket is gone. The Rust side restarts the server on the same data and
// checks every acked message against the history.
//
// Env: PARLEY_URL, CONVERSATION_ID, SENDERS = JSON [{name, token}],
// ACK_TARGET, IN_FLIGHT, RESULT_FILE.
// Output: RESULT_FILE = one JSON line {client_id, id, seq, sender_id} per ack.

import { env, say, scenario, withTimeout } from "./lib.mjs";
import { appendResult, assert, connect, log } from "./chat_lib.mjs";

scenario("chat_crash", async () => {
  const conversation_id = env("CONVERSATION_ID");
  const target = Number(env("ACK_TARGET"));
  const inFlight = Number(env("IN_FLIGHT"));
  const senders = JSON.parse(env("SENDERS"));
  const sockets = [];
  for (const { name, token } of senders) sockets.push(await connect(name, token, "websocket"));

  let acked = 0;
  let sent = 0;
  let announced = false;
  let failure = null;
  const gone = Promise.all(
    sockets.map((s) => new Promise((resolve) => s.once("disconnect", (reason) => resolve(reason)))),
  );
  const pump = (s) => {
    if (!s.connected || failure) return;
    const client_id = `${s.label}-${sent}`;
    const text = `crash test ${sent}`;
    sent += 1;
    s.emit("message:send", { conversation_id, text, client_id }, (ack) => {
      if (ack?.ok !== true || ack.message?.client_id !== client_id) {
        failure ??= new Error(`${client_id}: unexpected ack ${JSON.stringify(ack)}`);
        return;
      }
      appendResult({ client_id, id: ack.message.id, seq: ack.message.seq, sender_id: ack.message.sender.id });
      acked += 1;
      if (acked >= target && !announced) {
        announced = true;
        say("ACKED");
      }
      pump(s);
    });
  };
  for (const s of sockets) for (let i = 0; i < inFlight; i++) pump(s);

  const reasons = await withTimeout(gone, 60_000, "the server to go away");
  log(`sent ${sent}, acked ${acked}; disconnects: ${reasons.join(", ")}`);
  if (failure) throw failure;
  assert.ok(announced, `the server went away after only ${acked} of ${target} acks`);
});
