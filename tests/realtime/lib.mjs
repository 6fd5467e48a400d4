// Shared helpers for the realtime scenario scripts. Each scenario is spawned by
// a Rust test (crates/parley-server/tests/api/realtime.rs) that started a real
// Parley server and prepared users and tokens over HTTP; it passes them in
// environment variables. A scenario talks back on stdout, one word per line
// ("READY", "SENT_NORMAL"...), and the Rust side answers on stdin when a step
// needs it to act (sign out, emit). Diagnostics go to stderr. Exit code 0
// means every assertion held.

import { io } from "socket.io-client";
import { createInterface } from "node:readline";
import http from "node:http";

export const ALLOWED_ORIGIN = "http://parley.test";
export const EVIL_ORIGIN = "https://evil.example";
export const TRANSPORTS = ["polling", "websocket"];

/** A required environment variable. */
export function env(name) {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`environment variable ${name} is required`);
  }
  return value;
}

export const BASE = () => env("PARLEY_URL");

/** Diagnostics (stderr: the Rust side prints it when the scenario fails). */
export function log(...args) {
  console.error(`[${new Date().toISOString()}]`, ...args);
}

/** A protocol line for the Rust side. */
export function say(word) {
  process.stdout.write(`${word}\n`);
}

const stdinLines = [];
const stdinWaiters = [];
createInterface({ input: process.stdin }).on("line", (line) => {
  const waiter = stdinWaiters.shift();
  if (waiter) waiter(line.trim());
  else stdinLines.push(line.trim());
});

/** The next line the Rust side writes on our stdin. */
export async function nextLine(ms = 20_000, what = "a line on stdin") {
  return (
    stdinLines.shift() ??
    (await withTimeout(new Promise((resolve) => stdinWaiters.push(resolve)), ms, what))
  );
}

/** Waits for the Rust side to write `word` on our stdin. */
export async function hear(word, ms = 20_000) {
  const line = await nextLine(ms, `waiting for "${word}" on stdin`);
  if (line !== word) throw new Error(`expected "${word}" on stdin, got "${line}"`);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A socket that neither reconnects nor shares its connection with another
 * socket; `opts` go to io() (auth, extraHeaders...). `transport` is
 * "polling" or "websocket": the only transport it may use.
 */
export function socket(transport, opts = {}) {
  return socketAt(BASE(), transport, opts);
}

/** `socket`, to the server at `url` (one node of several). */
export function socketAt(url, transport, opts = {}) {
  return watchDisconnect(
    io(url, {
      transports: [transport],
      reconnection: false,
      forceNew: true,
      timeout: 10_000,
      ...opts,
    }),
  );
}

/** Resolves with the socket once connected; rejects on connect_error. */
export function connected(s, what) {
  return withTimeout(
    new Promise((resolve, reject) => {
      if (s.connected) return resolve(s);
      s.once("connect", () => resolve(s));
      s.once("connect_error", (err) =>
        reject(new Error(`${what}: connect_error ${err.message} ${JSON.stringify(err.data)}`)),
      );
    }),
    10_000,
    `${what} to connect`,
  );
}

/** Resolves with the connect_error; rejects if the socket connects instead. */
export function refused(s, what) {
  return withTimeout(
    new Promise((resolve, reject) => {
      s.once("connect", () => reject(new Error(`${what}: connected but must be refused`)));
      s.once("connect_error", (err) => resolve(err));
    }),
    10_000,
    `${what} to be refused`,
  );
}

/** Resolves with the disconnect reason. */
export function disconnected(s, what, ms = 10_000) {
  return withTimeout(
    new Promise((resolve) => {
      if (!s.connected && s.disconnectReason) return resolve(s.disconnectReason);
      s.once("disconnect", (reason) => resolve(reason));
    }),
    ms,
    `${what} to be disconnected`,
  );
}

/** Records every `disconnect` so a scenario can assert one never came. */
export function watchDisconnect(s) {
  s.on("disconnect", (reason) => {
    s.disconnectReason = reason;
  });
  return s;
}

/** Collects every `event` a socket receives. */
export function collect(s, event) {
  const got = [];
  s.on(event, (payload) => got.push(payload));
  return got;
}

/** Resolves with the first `event` payload. */
export function next(s, event, what, ms = 10_000) {
  return withTimeout(
    new Promise((resolve) => s.once(event, resolve)),
    ms,
    `${what} to receive ${event}`,
  );
}

/**
 * A raw HTTP request (node:http lets us set Origin and the websocket
 * upgrade headers exactly); resolves with {status, body}. An upgrade that
 * succeeds resolves with status 101 and closes the socket.
 */
export function rawRequest(path, headers) {
  const url = new URL(path, BASE());
  return withTimeout(
    new Promise((resolve, reject) => {
      const req = http.request(url, { method: "GET", headers });
      req.on("response", (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode, body }));
      });
      req.on("upgrade", (res, sock) => {
        sock.destroy();
        resolve({ status: res.statusCode, body: "" });
      });
      req.on("error", reject);
      req.end();
    }),
    10_000,
    `GET ${path}`,
  );
}

/** The headers of a websocket upgrade request. */
export function upgradeHeaders(extra = {}) {
  return {
    Connection: "Upgrade",
    Upgrade: "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    ...extra,
  };
}

/**
 * Runs a scenario: exit code 0 when `body` resolves, 1 (with the error on
 * stderr) when it throws. Sockets are not closed one by one; exiting does.
 */
export function scenario(name, body) {
  body()
    .then(() => {
      log(`${name}: ok`);
      process.exit(0);
    })
    .catch((err) => {
      log(`${name}: FAILED`, err?.stack ?? err);
      process.exit(1);
    });
}
