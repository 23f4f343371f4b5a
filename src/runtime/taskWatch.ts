/**
 * The one loop that follows a task in the store, whichever process changes it. Waits on
 * `store.waitForUpdate` (no polling); a failing backend (e.g. Redis reconnecting) does not end it.
 */
import { StoreClosedError } from '../core/errors.js';
import { pause } from '../core/pause.js';
import { isTerminal } from '../core/status.js';
import type { TaskState, TaskStore } from '../core/taskStore.js';

/** First pause before the watch waits again after the store failed (ms); it doubles per failure. */
const FIRST_RETRY_DELAY = 100;
/** Longest pause between attempts while the store keeps failing (ms). */
const MAX_RETRY_DELAY = 5_000;

/**
 * Calls `onChange` with each new state of the task after `afterVersion` until the task is terminal
 * (that state included), or with `null` once it is gone. Changes made in quick succession may
 * arrive as one, the latest. After a store failure it waits again after a pause that grows to
 * {@link MAX_RETRY_DELAY}, so a cancel made elsewhere still arrives. Ends on `signal` or when the
 * store is closed; a throwing `onChange` is ignored; never rejects.
 */
export async function followTask(
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
