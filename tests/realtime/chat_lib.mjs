// Helpers shared by the chat scenarios (tests/realtime/chat_*.mjs), on top of
// lib.mjs: acknowledged emits, the ack shapes of docs/api.md ("Realtime"), REST
// calls with a bearer token, event inboxes that can be waited on and checked
// for silence, and a result file the Rust side reads after the script exits
// (protocol lines on stdout carry single words only).

import assert from "node:assert/strict";
import { appendFileSync, writeFileSync } from "node:fs";
import { BASE, connected, env, log, sleep, socketAt, withTimeout } from "./lib.mjs";

/** How long an acknowledgement may take. */
export const ACK_MS = 10_000;
/** How long an event another socket caused may take to arrive. */
export const EVENT_MS = 5_000;
/** After the events we wait for arrived, how long anything else would take. */
export const QUIET_MS = 500;

/**
 * How long a scenario lets a new socket settle before using it. The server
 * registers its event handlers in a connect handler that socketioxide runs
 * as a separate task *after* telling the client it is connected, so an
 * event sent at once can find no handler and never be acknowledged; that
 * race is what chat_connect_race.mjs tests. The other scenarios test their
 * own feature, so they wait it out.
 */
export const SETTLE_MS = 150;

/** Connects a socket for `token` on `transport`; resolves once connected and settled. */
export async function connect(name, token, transport = "websocket") {
  return connectAt(BASE(), name, token, transport);
}

/** `connect`, to the node at `url`. */
export async function connectAt(url, name, token, transport = "websocket") {
  const s = await connected(socketAt(url, transport, { auth: { token } }), name);
  s.label = name;
  await sleep(SETTLE_MS);
  return s;
}

/** Emits `event` with `payload` and resolves with the acknowledgement. */
export function ask(s, event, payload, ms = ACK_MS) {
  return withTimeout(s.emitWithAck(event, payload), ms, `${s.label}: ack of ${event}`);
}

/** Asserts `{ok: true, ...}`; returns the ack. */
export function ok(ack, what) {
  assert.equal(typeof ack, "object", `${what}: the ack is an object: ${JSON.stringify(ack)}`);
  assert.equal(ack?.ok, true, `${what}: expected {ok: true}, got ${JSON.stringify(ack)}`);
  assert.equal(ack.error, undefined, `${what}: a successful ack has no error: ${JSON.stringify(ack)}`);
  return ack;
}

/** Asserts `{ok: false, error: {code, message}}` with `code`; returns the error. */
export function refusedWith(ack, code, what) {
  assert.equal(ack?.ok, false, `${what}: expected {ok: false}, got ${JSON.stringify(ack)}`);
  const error = ack.error;
  assert.equal(typeof error, "object", `${what}: error object: ${JSON.stringify(ack)}`);
  assert.equal(error.code, code, `${what}: error code: ${JSON.stringify(ack)}`);
  assert.ok(
    typeof error.message === "string" && error.message.length > 0,
    `${what}: error.message is a non-empty string: ${JSON.stringify(ack)}`,
  );
  assert.equal(ack.message, undefined, `${what}: a refusal carries no message: ${JSON.stringify(ack)}`);
  return error;
}

/** `message:send`, asserting success; returns the acked message. */
export async function send(s, conversation_id, text, client_id) {
  const ack = ok(await ask(s, "message:send", { conversation_id, text, client_id }), `${s.label} sends ${client_id}`);
  assertMessage(ack.message, `${s.label}'s ack of ${client_id}`);
  assert.equal(ack.message.conversation_id, conversation_id, "ack.message.conversation_id");
  assert.equal(ack.message.client_id, client_id, "ack.message.client_id");
  assert.equal(ack.message.text, text, "ack.message.text");
  return ack.message;
}

/** Asserts docs/api.md's `Message` shape. */
export function assertMessage(m, what) {
  assert.equal(typeof m, "object", `${what}: a Message object: ${JSON.stringify(m)}`);
  for (const key of ["id", "conversation_id", "text", "created_at"]) {
    assert.equal(typeof m[key], "string", `${what}: Message.${key}: ${JSON.stringify(m)}`);
  }
  assert.ok(Number.isInteger(m.seq) && m.seq >= 1, `${what}: Message.seq: ${JSON.stringify(m)}`);
  assert.equal(typeof m.sender?.id, "string", `${what}: Message.sender: ${JSON.stringify(m)}`);
  assert.equal(typeof m.sender?.username, "string", `${what}: Message.sender.username`);
  assert.ok(Array.isArray(m.media), `${what}: Message.media: ${JSON.stringify(m)}`);
  assert.equal(typeof m.deleted, "boolean", `${what}: Message.deleted: ${JSON.stringify(m)}`);
  assert.ok("edited_at" in m && "client_id" in m, `${what}: Message.edited_at/client_id: ${JSON.stringify(m)}`);
}

/**
 * Records every `event` a socket receives (`.list`, with arrival times in
 * `.at`); `.wait(n)` resolves once at least `n` arrived, `.waitFor(pred)`
 * once one matching `pred` did.
 */
export function inbox(s, event) {
  const box = { list: [], at: [], event, name: s.label };
  s.on(event, (payload) => {
    box.list.push(payload);
    box.at.push(Date.now());
  });
  box.wait = (n = 1, ms = EVENT_MS, what = "") =>
    withTimeout(
      (async () => {
        while (box.list.length < n) await sleep(10);
        return box.list;
      })(),
      ms,
      `${s.label} to receive ${n} × ${event} ${what} (got ${box.list.length})`,
    );
  box.waitFor = (pred, ms = EVENT_MS, what = "") =>
    withTimeout(
      (async () => {
        for (;;) {
          const found = box.list.find(pred);
          if (found) return found;
          await sleep(10);
        }
      })(),
      ms,
      `${s.label} to receive ${event} ${what}: got ${JSON.stringify(box.list)}`,
    );
  box.clear = () => {
    box.at.splice(0);
    return box.list.splice(0);
  };
  /** When the first payload matching `pred` arrived (ms since the epoch). */
  box.arrival = (pred) => box.at[box.list.findIndex(pred)];
  return box;
}

/** Asserts that none of `boxes` received anything (after `ms` more of quiet). */
export async function assertSilent(boxes, what, ms = QUIET_MS) {
  await sleep(ms);
  for (const box of boxes) {
    assert.deepEqual(box.list, [], `${what}: ${box.name} must not receive ${box.event}`);
  }
}

/** Asserts that each box received exactly `expected` (in order), then empties it. */
export function assertGot(boxes, expected, what) {
  for (const box of boxes) {
    assert.deepEqual(box.list, expected, `${what}: what ${box.name} received as ${box.event}`);
    box.clear();
  }
}

/** A REST call with a bearer token; resolves with {status, body}. */
export async function rest(method, path, token, body) {
  const response = await withTimeout(
    fetch(new URL(path, BASE()), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    ACK_MS,
    `${method} ${path}`,
  );
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The whole history of a conversation over REST, in seq order. */
export async function history(token, conversation_id) {
  const all = [];
  for (let after = 0; ; ) {
    const { status, body } = await rest(
      "GET",
      `/api/v1/conversations/${conversation_id}/messages?after_seq=${after}&limit=100`,
      token,
    );
    assert.equal(status, 200, `history: ${JSON.stringify(body)}`);
    all.push(...body.items);
    if (body.next_cursor === null || body.items.length === 0) return all;
    after = body.items[body.items.length - 1].seq;
  }
}

/** `[from, from+1, ..., to]`. */
export function range(from, to) {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** Writes the scenario's result for the Rust side (JSON in RESULT_FILE). */
export function writeResult(value) {
  writeFileSync(env("RESULT_FILE"), JSON.stringify(value));
}

/** Appends one JSON line to RESULT_FILE (durable before the next statement). */
export function appendResult(value) {
  appendFileSync(env("RESULT_FILE"), `${JSON.stringify(value)}\n`);
}

export { assert, log, sleep };
