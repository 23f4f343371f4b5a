/** Test helpers for the in-memory backends (not a test file). */
import type { Request } from '@modelcontextprotocol/sdk/types.js';

/** A request as the SDK hands it to `createTask`. */
export const CALL: Request = { method: 'tools/call', params: { name: 'echo' } };

/**
 * Races `promise` against a bounded deadline. The deadline timer is ref'd, so it also keeps the
 * event loop alive while the awaited event depends only on the store's unref'd expiry timer.
 */
export async function within<T>(promise: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Lets real time pass *synchronously* until `epochMs`, so that no timer callback can run in
 * between: the next store call then meets an expired task that only lazy expiry can drop.
 */
export function blockUntil(epochMs: number): void {
  while (Date.now() <= epochMs) {
    // busy: the point is that the event loop does not turn
  }
}

/** Whether a promise has settled, observed after pending microtasks have run. */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}
