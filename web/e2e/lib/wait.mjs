// Waiting helpers for the end-to-end journeys: playwright-core has no `expect`, so
// conditions are polled with generous deadlines (deadlines only bound a wait; no test
// asserts how long anything took).

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The first line of an error message (Playwright's carry a long call log); for a strict
 * mode violation also the elements that matched, which say what went wrong.
 */
export function firstLine(message) {
  const lines = String(message).split('\n');
  if (lines[0].includes('strict mode violation')) return lines.slice(0, 4).join('\n    ');
  return lines[0];
}

/**
 * Polls `check` until it returns a truthy value, which is returned. Errors thrown by
 * `check` count as "not yet"; the last one is quoted if the deadline passes.
 */
export async function until(what, check, { timeout = 20_000, interval = 150 } = {}) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = null;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last ? ` (last error: ${firstLine(last.message)})` : '';
      throw new Error(`timed out after ${timeout / 1000}s waiting for ${what}${why}`);
    }
    await sleep(interval);
  }
}

/** Waits until `locator` is visible; the error names `what` instead of a selector dump. */
export async function visible(locator, what, timeout = 20_000) {
  try {
    await locator.waitFor({ state: 'visible', timeout });
  } catch (err) {
    throw new Error(`${what} did not become visible: ${firstLine(err.message)}`);
  }
  return locator;
}

/** Waits until `locator` matches nothing visible. */
export async function gone(locator, what, timeout = 20_000) {
  try {
    await locator.waitFor({ state: 'hidden', timeout });
  } catch (err) {
    throw new Error(`${what} did not go away: ${firstLine(err.message)}`);
  }
}

/** Throws `message` unless `condition` holds. */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}
