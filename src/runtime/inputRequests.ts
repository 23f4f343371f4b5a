/**
 * Requests a running task makes of its requestor (elicitation, sampling): the waiter is registered
 * before the request is posted, the task is `input_required` while any request is unanswered (R29)
 * and goes back to `working` when the last one is answered (R32, F2). Where the request travels is
 * the binding's choice (`post`); the answer comes back through the response channel.
 */
import { fromJsonRpcError } from '../core/errors.js';
import type { TaskResponseChannel } from '../core/messageQueue.js';
import type { TaskUpdate } from '../core/taskStore.js';
import { sideChannelRequestId } from './sideChannelId.js';

/** A request for the requestor, with the id its answer will be published under. */
export interface InputRequest {
  readonly id: string;
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/** What {@link InputRequests} needs. */
export interface InputRequestsInit {
  readonly taskId: string;
  readonly signal: AbortSignal;
  readonly responseChannel: TaskResponseChannel;
  /** Puts the request where the requestor will get it. */
  post(request: InputRequest): Promise<void>;
  /** Changes the task's status. */
  update(update: TaskUpdate): Promise<void>;
}

/** The input requests of one running task. */
export class InputRequests {
  readonly #init: InputRequestsInit;
  #pending = 0;

  constructor(init: InputRequestsInit) {
    this.#init = init;
  }

  /** Sends a request to the requestor and resolves with its result; rejects with its error, or when the task is aborted. */
  async request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { taskId, signal, responseChannel } = this.#init;
    signal.throwIfAborted();
    const id = sideChannelRequestId(taskId);
    const waiting = new AbortController();
    const stop = (): void => waiting.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    const answer = responseChannel.waitForResponse(id, waiting.signal);
    answer.catch(() => undefined);
    this.#pending += 1;
    try {
      if (this.#pending === 1) await this.#init.update({ status: 'input_required' });
      await this.#init.post({ id, method, params });
      const settled = await answer;
      if ('error' in settled) throw fromJsonRpcError(settled.error);
      return settled.result;
    } finally {
      signal.removeEventListener('abort', stop);
      waiting.abort();
      this.#pending -= 1;
      if (this.#pending === 0 && !signal.aborted) await this.#init.update({ status: 'working' }).catch(() => undefined);
    }
  }
}
