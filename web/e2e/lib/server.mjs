// Starts a real `parley serve` for the end-to-end run: a free port on 127.0.0.1, a fresh
// temporary data folder (so a new SQLite database), the built client from web/dist, and
// the log written to a file. Inherited PARLEY_* variables are dropped and the working
// directory is the data folder, so no .env or parley.toml changes what is tested; `env`
// adds the run's own (the fake sign-in provider's settings).

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './wait.mjs';

/** A port the OS says is free right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer({ bin, webDir, logFile, env: extraEnv = {}, readyTimeoutMs = 60_000 }) {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PARLEY_')));
  Object.assign(env, {
    PARLEY_WEB_DIR: webDir,
    // The journeys are one client IP making many requests; the global per-IP limit is
    // not what they test (its own tests are in the Rust suite).
    PARLEY_RATE_LIMIT_GLOBAL: '100000/60s',
    RUST_LOG: process.env.RUST_LOG ?? 'info',
    PARLEY_LOG_FORMAT: 'text',
    ...extraEnv,
  });
  const log = createWriteStream(logFile);
  const child = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    cwd: dataDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.on('error', (err) => {
      exited = { error: err };
      resolve(exited);
    });
  });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    }
    await new Promise((resolve) => log.end(resolve));
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      const why = exited.error ? exited.error.message : `exit code ${exited.code}, signal ${exited.signal}`;
      throw new Error(`parley serve (${bin}) stopped before it was ready (${why}); its log: ${logFile}`);
    }
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`parley serve did not answer ${base}/readyz within ${readyTimeoutMs / 1000}s; its log: ${logFile}`);
    }
    await sleep(200);
  }
  // `kill` is for emergencies (the run's watchdog, Ctrl-C): no waiting, no cleanup.
  return { base, dataDir, stop, logFile, kill: () => child.kill('SIGKILL') };
}

/** The last `lines` lines of the server log, for failure reports. */
export async function logTail(logFile, lines = 40) {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
