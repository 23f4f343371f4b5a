/** The caller's own deadline for waiting on a handle (F8: independent of the SDK's 60 s request default). */
import { MAX_TIMER_DELAY } from '../core/pause.js';
import { TaskWaitTimeoutError } from './errors.js';

/** Runs `body` with a signal that aborts on the caller's signal or timeout; unlinks afterwards. */
export async function withDeadline<T>(
  taskId: string | undefined,
  options: { timeout?: number | undefined; signal?: AbortSignal | undefined },
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { timeout, signal } = options;
  signal?.throwIfAborted();
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout < 0)) {
    throw new RangeError('timeout must be a non-negative number of milliseconds');
  }
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeout === undefined
      ? undefined
      : setTimeout(() => controller.abort(new TaskWaitTimeoutError(taskId, timeout)), Math.min(timeout, MAX_TIMER_DELAY));
  try {
    return await body(controller.signal);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
