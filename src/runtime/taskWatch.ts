/**
 * The one loop that follows a task in the store, whichever process changes it: through
 * `store.subscribe` where the store has it, else waiting on `store.waitForUpdate` (no polling); a
 * failing backend (e.g. Redis reconnecting) does not end it.
 */
import { StoreClosedError } from '../core/errors.js';
import { pause } from '../core/pause.js';
import { isTerminal } from '../core/status.js';
import type { TaskState, TaskStore, TaskSubscriber } from '../core/taskStore.js';

/** First pause before the watch waits again after the store failed (ms); it doubles per failure. */
const FIRST_RETRY_DELAY = 100;
/** Longest pause between attempts while the store keeps failing (ms). */
const MAX_RETRY_DELAY = 5_000;

/** A follow of one task, as {@link followTask} starts it. */
export interface TaskFollow {
  /** Resolves once the follow has ended; never rejects. */
  readonly done: Promise<void>;
  /** Ends the follow now (idempotent); `done` resolves. */
  stop(): void;
}

/** A follow that never started (an aborted signal, a closed store or runtime): nothing to do. */
export const NOT_FOLLOWED: TaskFollow = { done: Promise.resolve(), stop: () => undefined };

/**
 * Calls `onChange` with each new state of the task after `afterVersion` until the task is terminal
 * (that state included), or with `null` once it is gone. Changes made in quick succession may
 * arrive as one, the latest. After a store failure it waits again after a pause that grows to
 * {@link MAX_RETRY_DELAY}, so a cancel made elsewhere still arrives. Ends on `stop()`, on `signal`
 * or when the store is closed; a throwing `onChange` is ignored.
 */
export function followTask(
  store: TaskStore,
  taskId: string,
  afterVersion: number,
  onChange: (state: TaskState | null) => void,
  signal?: AbortSignal,
): TaskFollow {
  if (signal?.aborted) return NOT_FOLLOWED;
  if (store.subscribe !== undefined) {
    const follow = followSubscribed(store.subscribe.bind(store), taskId, afterVersion, onChange, signal);
    if (follow !== undefined) return follow;
  }
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  signal?.addEventListener('abort', stop, { once: true });
  const done = followByWaiting(store, taskId, afterVersion, onChange, controller.signal).finally(() => signal?.removeEventListener('abort', stop));
  return { done, stop };
}

/** {@link followTask} with one `waitForUpdate` per change; ends on `signal`; never rejects. */
async function followByWaiting(
  store: TaskStore,
  taskId: string,
  afterVersion: number,
  onChange: (state: TaskState | null) => void,
  signal: AbortSignal,
): Promise<void> {
  let after = afterVersion;
  let retryDelay = FIRST_RETRY_DELAY;
  while (!signal.aborted) {
    let state: TaskState | null;
    try {
      state = await store.waitForUpdate(taskId, after, signal);
    } catch (error) {
      if (signal.aborted || error instanceof StoreClosedError) return;
      await pause(retryDelay, signal);
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_DELAY);
      continue;
    }
    retryDelay = FIRST_RETRY_DELAY;
    try {
      onChange(state);
    } catch {
      // a watcher's callback must not end the watch
    }
    if (state === null || isTerminal(state.task.status)) return;
    after = state.version;
  }
}

/**
 * {@link followTask} on a store's subscription: one subscription for the whole follow instead of a
 * wait per change. `undefined` when the store refused the subscription for another reason than
 * being closed (the caller then waits the usual way).
 */
function followSubscribed(
  subscribe: NonNullable<TaskStore['subscribe']>,
  taskId: string,
  afterVersion: number,
  onChange: (state: TaskState | null) => void,
  signal: AbortSignal | undefined,
): TaskFollow | undefined {
  let unsubscribe: (() => void) | undefined;
  let ended = false;
  let resolve!: () => void;
  const done = new Promise<void>((settle) => {
    resolve = settle;
  });
  const stop = (): void => {
    if (ended) return;
    ended = true;
    unsubscribe?.();
    signal?.removeEventListener('abort', stop);
    resolve();
  };
  const subscriber: TaskSubscriber = {
    onState(state) {
      try {
        onChange(state);
      } catch {
        // a watcher's callback must not end the watch
      }
      if (state === null || isTerminal(state.task.status)) stop();
    },
    onClose: stop,
  };
  try {
    unsubscribe = subscribe(taskId, afterVersion, subscriber);
  } catch (error) {
    if (error instanceof StoreClosedError) return NOT_FOLLOWED;
    return undefined;
  }
  signal?.addEventListener('abort', stop, { once: true });
  return { done, stop };
}
