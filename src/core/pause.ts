/** Timers shared by the layers: one pause that an abort ends early, and the longest delay a timer takes. */

/** The longest delay `setTimeout` accepts (about 24.8 days); longer waits are expressed as this. */
export const MAX_TIMER_DELAY = 2_147_483_647;

/** Resolves after `ms` (at once when `ms <= 0`), or as soon as `signal` aborts; never rejects. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.min(ms, MAX_TIMER_DELAY));
    signal.addEventListener('abort', done, { once: true });
  });
}
