/**
 * `InMemoryTaskResponseChannel`: hands the requestor's answer to a side-channel request to the
 * task waiting for it, in one process. An answer that arrives before anyone waits is kept, at most
 * `maxEarlyResponses` of them (oldest evicted first); no timers.
 */
import type { SettledResponse, TaskResponseChannel } from '../../core/messageQueue.js';
import { integerOption } from '../../core/storeInput.js';
import { ClosableWaiters } from './closableWaiters.js';
import { cloneValue } from './clone.js';

/** Options of {@link InMemoryTaskResponseChannel}. */
export interface InMemoryTaskResponseChannelOptions {
  /** Most answers kept for requests nobody waits for yet; the oldest is dropped beyond it. Default 1,000. */
  maxEarlyResponses?: number;
}

export const DEFAULT_MAX_EARLY_RESPONSES = 1_000;

/** An in-process {@link TaskResponseChannel}. */
export class InMemoryTaskResponseChannel implements TaskResponseChannel {
  /** Most early answers kept. */
  readonly maxEarlyResponses: number;
  readonly #waiters = new ClosableWaiters<SettledResponse>('Task response channel');
  /** Answers published before anyone waited, oldest first (Map keeps insertion order). */
  readonly #early = new Map<string, SettledResponse>();

  constructor(options: InMemoryTaskResponseChannelOptions = {}) {
    this.maxEarlyResponses = integerOption(options.maxEarlyResponses, DEFAULT_MAX_EARLY_RESPONSES, 'maxEarlyResponses', 0);
  }

  /** Number of early answers kept. */
  get earlyCount(): number {
    return this.#early.size;
  }

  async waitForResponse(requestId: string, signal?: AbortSignal): Promise<SettledResponse> {
    this.#waiters.assertOpen();
    const waiter = this.#waiters.add(requestId, signal);
    const early = this.#early.get(requestId);
    if (early !== undefined) {
      this.#early.delete(requestId);
      waiter.resolve(early);
    }
    return waiter.promise;
  }

  async publishResponse(requestId: string, response: SettledResponse): Promise<void> {
    this.#waiters.assertOpen();
    const stored = cloneValue(response);
    if (this.#waiters.wake(requestId, stored) > 0) return;
    this.#early.delete(requestId);
    if (this.maxEarlyResponses === 0) return;
    while (this.#early.size >= this.maxEarlyResponses) {
      this.#early.delete(this.#early.keys().next().value as string);
    }
    this.#early.set(requestId, stored);
  }

  async close(): Promise<void> {
    if (this.#waiters.close()) this.#early.clear();
  }
}
