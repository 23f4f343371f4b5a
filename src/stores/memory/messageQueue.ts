/**
 * `InMemoryTaskMessageQueue`: per-task bounded FIFOs of side-channel messages, in one process.
 * A task's FIFO exists only while it holds messages (an emptied queue is deleted), so finished
 * tasks leave nothing behind.
 */
import {
  DEFAULT_MAX_MESSAGES_PER_TASK,
  type TaskMessageQueue,
  type TaskMessageQueueOptions,
  type TaskQueuedMessage,
} from '../../core/messageQueue.js';
import { integerOption } from '../../core/storeInput.js';
import { QueueFullError } from '../../core/errors.js';
import { Fifo } from './fifo.js';
import { ClosableWaiters } from './closableWaiters.js';
import { cloneValue } from './clone.js';

/** An in-process {@link TaskMessageQueue}. */
export class InMemoryTaskMessageQueue implements TaskMessageQueue {
  /** Most messages queued per task. */
  readonly maxMessagesPerTask: number;
  readonly #queues = new Map<string, Fifo<TaskQueuedMessage>>();
  readonly #waiters = new ClosableWaiters<void>('Task message queue');

  constructor(options: TaskMessageQueueOptions = {}) {
    this.maxMessagesPerTask = integerOption(options.maxMessagesPerTask, DEFAULT_MAX_MESSAGES_PER_TASK, 'maxMessagesPerTask');
  }

  /** Number of tasks that currently have queued messages. */
  get taskCount(): number {
    return this.#queues.size;
  }

  async enqueue(taskId: string, message: TaskQueuedMessage): Promise<void> {
    this.#waiters.assertOpen();
    const stored = cloneValue(message);
    let queue = this.#queues.get(taskId);
    if (queue !== undefined && queue.length >= this.maxMessagesPerTask) throw new QueueFullError(taskId, this.maxMessagesPerTask);
    if (queue === undefined) {
      queue = new Fifo();
      this.#queues.set(taskId, queue);
    }
    queue.push(stored);
    this.#waiters.wake(taskId, undefined);
  }

  async dequeue(taskId: string): Promise<TaskQueuedMessage | undefined> {
    this.#waiters.assertOpen();
    const queue = this.#queues.get(taskId);
    if (queue === undefined) return undefined;
    const message = queue.shift();
    if (queue.length === 0) this.#queues.delete(taskId);
    return message;
  }

  async dequeueAll(taskId: string): Promise<TaskQueuedMessage[]> {
    this.#waiters.assertOpen();
    const queue = this.#queues.get(taskId);
    if (queue === undefined) return [];
    this.#queues.delete(taskId);
    return queue.drain();
  }

  async size(taskId: string): Promise<number> {
    this.#waiters.assertOpen();
    return this.#queues.get(taskId)?.length ?? 0;
  }

  async waitForMessage(taskId: string, signal?: AbortSignal): Promise<void> {
    this.#waiters.assertOpen();
    const waiter = this.#waiters.add(taskId, signal);
    if (this.#queues.has(taskId)) waiter.resolve();
    return waiter.promise;
  }

  async close(): Promise<void> {
    if (this.#waiters.close()) this.#queues.clear();
  }
}
