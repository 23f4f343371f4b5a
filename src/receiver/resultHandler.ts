/**
 * `TaskResultHandler`: serves `tasks/result` (R48–R51). It blocks until the task is terminal, woken
 * by store and queue events (no polling). While it waits it has the runtime's side channel deliver
 * the task's queued requests to the requestor (R31), whose answers go back to the task. Then it
 * returns what the underlying request returned: the same result with related-task `_meta`, or the
 * same JSON-RPC error.
 */
import type { Result } from '@modelcontextprotocol/sdk/types.js';
import { TaskNotFoundError } from '../core/errors.js';
import { isTerminal } from '../core/status.js';
import type { TaskScope } from '../core/taskStore.js';
import type { SideChannelDelivery } from '../runtime/sideChannel.js';
import type { TaskSupport } from '../runtime/taskSupport.js';
import { terminalPayload } from './terminalPayload.js';

/** Options of one {@link TaskResultHandler.handle} call. */
export interface HandleResultOptions {
  /** The requestor's owner scope. */
  scope: TaskScope;
  /** Where queued side-channel messages go. */
  delivery: SideChannelDelivery;
  /** How long a delivered request may wait for its answer before the task sees an error (ms). */
  sideChannelTimeout: number;
  /** Aborted when the `tasks/result` request is cancelled (the task itself is not cancelled, G15). */
  signal?: AbortSignal;
}

/** What the handler needs of the runtime. */
export type TaskResultHandlerRuntime = Pick<TaskSupport, 'store' | 'queue' | 'sideChannel'>;

/** Serves `tasks/result`. */
export class TaskResultHandler {
  readonly #runtime: TaskResultHandlerRuntime;

  constructor(runtime: TaskResultHandlerRuntime) {
    this.#runtime = runtime;
  }

  /**
   * Blocks until the task is terminal, delivering its queued side-channel messages meanwhile, then
   * returns its result (with related-task `_meta`) or throws its JSON-RPC error. A cancelled task
   * throws `TaskCancelledError` (-32602, G3); a task that disappears (expired, deleted) or belongs
   * to another scope throws {@link TaskNotFoundError}. Rejects with the signal's reason when
   * `signal` aborts; the task is unaffected.
   */
  async handle(taskId: string, options: HandleResultOptions): Promise<Result> {
    const endDelivery = this.#runtime.sideChannel.beginDelivery(taskId);
    try {
      return await this.#wait(taskId, options);
    } finally {
      endDelivery();
    }
  }

  async #wait(taskId: string, options: HandleResultOptions): Promise<Result> {
    const { store, queue, sideChannel } = this.#runtime;
    const { scope, signal } = options;
    // Read once with the owner check; after that the state a wake-up brings is the task's state (a
    // task's owner never changes), so no read is repeated per wake-up.
    let state = await store.getTaskState(taskId, scope);
    for (;;) {
      signal?.throwIfAborted();
      if (state === null) throw new TaskNotFoundError(taskId);
      if (isTerminal(state.task.status)) return terminalPayload(store, state.task, scope);
      await sideChannel.deliverQueued(taskId, options.delivery, { timeout: options.sideChannelTimeout, signal });
      const waiting = new AbortController();
      const stop = (): void => waiting.abort(signal?.reason);
      signal?.addEventListener('abort', stop, { once: true });
      try {
        const updated = store.waitForUpdate(taskId, state.version, waiting.signal).then((next) => ({ next }));
        const queued = queue.waitForMessage(taskId, waiting.signal).then(() => undefined);
        const woke = await Promise.race([updated, queued]);
        // a queued message leaves the state as it was: the loop delivers it and waits again
        if (woke !== undefined) state = woke.next;
      } finally {
        signal?.removeEventListener('abort', stop);
        waiting.abort();
      }
    }
  }
}
