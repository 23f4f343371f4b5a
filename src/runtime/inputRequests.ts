/**
 * Requests a running task makes of its requestor (elicitation, sampling): the waiter is registered
 * before the request is posted; each request is recorded in the store as pending under its id, which
 * makes the task `input_required` (R29) until the last one is answered (R32, F2), in the same
 * atomic step. Where the request travels besides is the binding's choice (`post`: the 2025-11-25
 * queue for `tasks/result`; the extension reads the store); the answer comes back through the
 * response channel.
 */
import type { TaskStatus } from '@modelcontextprotocol/sdk/types.js';
import { fromJsonRpcError } from '../core/errors.js';
import type { TaskResponseChannel } from '../core/messageQueue.js';
import type { TaskScope, TaskStore } from '../core/taskStore.js';
import { sideChannelRequestId } from './sideChannelId.js';

/** A request for the requestor, with the id its answer will be published under (its key in the store). */
export interface InputRequest {
  readonly id: string;
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/** What {@link InputRequests} needs. */
export interface InputRequestsInit {
  readonly taskId: string;
  readonly scope: TaskScope;
  readonly signal: AbortSignal;
  readonly store: TaskStore;
  readonly responseChannel: TaskResponseChannel;
  /** Delivers the request (already pending in the store) where the requestor will get it. */
  post(request: InputRequest): Promise<void>;
  /** Told when a request moved the task's status. */
  statusChanged(status: TaskStatus): void;
}

/** The input requests of one running task. */
export class InputRequests {
  readonly #init: InputRequestsInit;

  constructor(init: InputRequestsInit) {
    this.#init = init;
  }

  /** Sends a request to the requestor and resolves with its result; rejects with its error, or when the task is aborted. */
  async request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { taskId, scope, signal, store, responseChannel } = this.#init;
    signal.throwIfAborted();
    const id = sideChannelRequestId(taskId);
    const waiting = new AbortController();
    const stop = (): void => waiting.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    const answer = responseChannel.waitForResponse(id, waiting.signal);
    answer.catch(() => undefined);
    let added = false;
    try {
      const change = await store.addInputRequest(taskId, id, { method, params }, scope);
      added = true;
      if (change.statusChanged) this.#init.statusChanged(change.task.status);
      await this.#init.post({ id, method, params });
      const settled = await answer;
      if ('error' in settled) throw fromJsonRpcError(settled.error);
      return settled.result;
    } finally {
      signal.removeEventListener('abort', stop);
      waiting.abort();
      // Answered (the extension's tasks/update may have removed it first) or given up.
      if (added) {
        const change = await store.removeInputRequest(taskId, id, scope).catch(() => null);
        if (change?.statusChanged) this.#init.statusChanged(change.task.status);
      }
    }
  }
}
