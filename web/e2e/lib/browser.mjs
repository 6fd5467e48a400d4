// The browser side of the end-to-end run: Debian's Chromium driven by playwright-core, one
// context (cookie jar) per user, every page watched for console errors and uncaught page
// errors, screenshots at phone and desktop width, and a test JPEG drawn by the browser.

import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { firstLine } from './wait.mjs';

export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 800 };

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'],
    headless: true,
  });
}

/**
 * Collects console errors and page errors of every page of every context, and a log of
 * every API and Socket.IO request and answer (for understanding a failure afterwards).
 * Chromium reports every 4xx/5xx answer as a console error, so a request the app should
 * not have made (e.g. without a session) fails the run too; none is tolerated.
 */
export class Problems {
  constructor() {
    this.list = [];
    this.network = [];
    this.started = Date.now();
  }

  note(who, line) {
    this.network.push(`${String(Date.now() - this.started).padStart(7)} ms ${who}: ${line}`);
  }

  watch(page, who) {
    const path = (url) => {
      const u = new URL(url);
      return u.pathname + u.search;
    };
    const server = (url) => /^\/(api|socket\.io|media)\//.test(new URL(url).pathname);
    page.on('request', (r) => server(r.url()) && this.note(who, `-> ${r.method()} ${path(r.url())}`));
    page.on('response', (r) => server(r.url()) && this.note(who, `<- ${r.status()} ${r.request().method()} ${path(r.url())}`));
    page.on('requestfailed', (r) => server(r.url()) && this.note(who, `xx ${r.method()} ${path(r.url())} ${r.failure()?.errorText ?? ''}`));
    page.on('framenavigated', (f) => f === page.mainFrame() && this.note(who, `== page ${f.url()}`));
    page.on('websocket', (ws) => {
      this.note(who, `ws open ${path(ws.url())}`);
      ws.on('close', () => this.note(who, `ws closed ${path(ws.url())}`));
    });
    page.on('console', (message) => {
      if (message.type() === 'error') {
        const where = message.location()?.url ? ` (at ${message.location().url})` : '';
        this.list.push(`${who}: console.error: ${message.text()}${where}`);
        this.note(who, `console.error: ${message.text()}${where}`);
      }
    });
    page.on('pageerror', (err) => this.list.push(`${who}: uncaught page error: ${firstLine(err.message)}`));
  }

  /** Problems recorded since `mark` (a previous `this.list.length`). */
  since(mark) {
    return this.list.slice(mark);
  }
}

/** A user's own browser context (cookies, storage) and first page. */
export async function newUser(browser, { name, baseURL, viewport, problems }) {
  const context = await browser.newContext({ baseURL, viewport, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  context.on('page', (page) => problems.watch(page, name));
  const page = await context.newPage();
  return { name, context, page };
}

/** Lets layout and images settle before a screenshot (at most ~3 s for images). */
async function settle(page) {
  await page.evaluate(async () => {
    const pending = Array.from(document.images).filter((img) => !img.complete);
    const each = pending.map(
      (img) =>
        new Promise((resolve) => {
          img.addEventListener('load', resolve, { once: true });
          img.addEventListener('error', resolve, { once: true });
        }),
    );
    await Promise.race([Promise.all(each), new Promise((resolve) => setTimeout(resolve, 3000))]);
    await document.fonts.ready;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
}

/**
 * Saves `page` as `<name>-375x812.png` and `<name>-1280x800.png` in `dir`; `ready` (if
 * given) is awaited at each width before the shot. The viewport is restored after.
 */
export async function capture(page, name, dir, ready) {
  const before = page.viewportSize();
  const files = [];
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    if (ready) await ready();
    await settle(page);
    const file = join(dir, `${name}-${size.width}x${size.height}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  if (before) await page.setViewportSize(before);
  return files;
}

/**
 * A real JPEG made at test time: the browser draws a picture on a canvas and encodes it
 * (no image tools needed on the machine). Large enough that the server makes a smaller
 * thumbnail.
 */
export async function makeJpeg(page, { width = 800, height = 600 } = {}) {
  const base64 = await page.evaluate(
    async ({ width, height }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const g = canvas.getContext('2d');
      const sky = g.createLinearGradient(0, 0, 0, height);
      sky.addColorStop(0, '#4a90d9');
      sky.addColorStop(1, '#f7d9a8');
      g.fillStyle = sky;
      g.fillRect(0, 0, width, height);
      g.fillStyle = '#f5c542';
      g.beginPath();
      g.arc(width * 0.75, height * 0.3, height * 0.12, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = '#2f6b3a';
      g.beginPath();
      g.moveTo(0, height);
      g.lineTo(width * 0.35, height * 0.45);
      g.lineTo(width * 0.7, height);
      g.fill();
      g.fillStyle = '#ffffff';
      g.font = `bold ${Math.round(height / 10)}px sans-serif`;
      g.fillText('Parley e2e', width * 0.06, height * 0.16);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      return btoa(binary);
    },
    { width, height },
  );
  const buffer = Buffer.from(base64, 'base64');
  if (buffer[0] !== 0xff || buffer[1] !== 0xd8 || buffer[2] !== 0xff) {
    throw new Error('the browser did not produce a JPEG');
  }
  return buffer;
}
