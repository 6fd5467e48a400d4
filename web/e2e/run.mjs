// The end-to-end suite (`npm run e2e`, run by `make test`): starts a real `parley serve`
// on a free port with a fresh database, drives Debian's Chromium through the journeys in
// journeys.mjs with two users, fails on any failed step and on any console error or
// uncaught page error, and saves screenshots of the main screens at phone and desktop
// width in e2e/artifacts/. Exits non-zero with a clear message on any failure. The
// server's `github` sign-in provider is a fake one in this process (lib/fakeProvider.mjs).
//
// Environment: PARLEY_BIN (default ../target/debug/parley), CHROMIUM (default
// /usr/bin/chromium), PARLEY_WEB_DIR (default web/dist).

import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESKTOP, PHONE, Problems, capture, launch, newUser } from './lib/browser.mjs';
import { startFakeProvider } from './lib/fakeProvider.mjs';
import { logTail, startServer } from './lib/server.mjs';
import { firstLine } from './lib/wait.mjs';
import { journeys } from './journeys.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const webRoot = resolve(here, '..');
const artifacts = join(here, 'artifacts');
const bin = resolve(process.env.PARLEY_BIN || join(webRoot, '..', 'target', 'debug', 'parley'));
const webDir = resolve(process.env.PARLEY_WEB_DIR || join(webRoot, 'dist'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
/** The whole run is abandoned after this long (a hung browser must not hang CI). */
const RUN_TIMEOUT_MS = 10 * 60_000;

function fail(message) {
  console.error(`\ne2e: ${message}`);
  process.exit(1);
}

if (!existsSync(bin)) {
  fail(`no server binary at ${bin}: build it with \`cargo build --bin parley\` (or set PARLEY_BIN)`);
}
if (!existsSync(join(webDir, 'index.html'))) {
  fail(`the web client is not built (${webDir}/index.html is missing): run \`npm --prefix web run build\``);
}
if (!existsSync(chromiumPath)) {
  fail(`no Chromium at ${chromiumPath}: install it (Debian: apt-get install -y chromium) or set CHROMIUM`);
}

// Fresh artifacts for every run, so a screenshot never outlives the run that made it.
await mkdir(artifacts, { recursive: true });
for (const name of await readdir(artifacts)) {
  if (name.endsWith('.png') || name.endsWith('.log')) await rm(join(artifacts, name));
}

let server = null;
let provider = null;
const watchdog = setTimeout(() => {
  server?.kill();
  fail(`the run took longer than ${RUN_TIMEOUT_MS / 60_000} minutes; abandoned`);
}, RUN_TIMEOUT_MS);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server?.kill();
    fail(`interrupted (${signal})`);
  });
}

const screenshots = [];
const problems = new Problems();
let browser = null;
let failure = null;
const users = [];

try {
  provider = await startFakeProvider();
  console.log(`e2e: fake GitHub sign-in provider at ${provider.base}`);
  server = await startServer({ bin, webDir, logFile: join(artifacts, 'server.log'), env: provider.env });
  console.log(`e2e: parley serve at ${server.base} (data in ${server.dataDir})`);
  browser = await launch();
  console.log(`e2e: ${chromiumPath} ${browser.version()}, headless`);
  const alice = await newUser(browser, { name: 'alice', baseURL: server.base, viewport: DESKTOP, problems });
  const bob = await newUser(browser, { name: 'bob', baseURL: server.base, viewport: PHONE, problems });
  users.push(alice, bob);
  const run = {
    base: server.base,
    alice,
    bob,
    provider,
    /** Another person (or a signed-out visitor) in a fresh context, watched like the others. */
    addUser: async (name, viewport = DESKTOP) => {
      const user = await newUser(browser, { name, baseURL: server.base, viewport, problems });
      users.push(user);
      return user;
    },
    shots: async (page, name, ready) => {
      screenshots.push(...(await capture(page, name, artifacts, ready)));
    },
  };

  for (const [index, [name, body]] of journeys.entries()) {
    const label = `${index + 1}/${journeys.length} ${name}`;
    const mark = problems.list.length;
    try {
      await body(run);
    } catch (err) {
      failure = `step ${label} failed: ${firstLine(err.message)}`;
      break;
    }
    const seen = problems.since(mark);
    if (seen.length > 0) {
      failure = `step ${label}: console errors or page errors:\n  ${seen.join('\n  ')}`;
      break;
    }
    console.log(`  ok  ${label}`);
  }
} catch (err) {
  failure = `could not run the journeys: ${err.message}`;
} finally {
  if (failure) {
    for (const user of users) {
      for (const [i, page] of user.context.pages().entries()) {
        const file = join(artifacts, `failure-${user.name}${i ? `-${i}` : ''}.png`);
        const saved = await page.screenshot({ path: file, fullPage: true }).then(
          () => true,
          () => false,
        );
        if (saved) screenshots.push(file);
        console.error(`e2e: ${user.name} was at ${page.url()}`);
      }
    }
  }
  await browser?.close().catch(() => {});
  const networkLog = join(artifacts, 'network.log');
  await writeFile(networkLog, problems.network.join('\n') + '\n');
  if (failure) console.error(`e2e: requests and answers of both users: ${networkLog}`);
  await server?.stop().catch((err) => console.error(`e2e: stopping the server: ${err.message}`));
  if (failure && provider?.refusals.length) {
    console.error(`e2e: the fake sign-in provider refused:\n  ${provider.refusals.join('\n  ')}`);
  }
  await provider?.close();
}

if (screenshots.length > 0) {
  console.log(`\ne2e: screenshots (${screenshots.length}):`);
  for (const file of screenshots) console.log(`  ${file}`);
}
if (failure) {
  console.error(`\ne2e: FAILED: ${failure}`);
  if (server) console.error(`\ne2e: last lines of the server log (${server.logFile}):\n${await logTail(server.logFile)}`);
  process.exit(1);
}
console.log(`\ne2e: all ${journeys.length} steps passed`);
process.exit(0);
