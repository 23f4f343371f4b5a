/**
 * `RedisTaskMessageQueue`: a bounded per-task FIFO in a Redis list (`{p}:queue:<taskId>`).
 * The bound check and the push are one script, which also gives the list its task's expiry and
 * publishes a wake-up on the task's queue channel. `waitForMessage` is subscribed to the queue
 * channels (one pattern per process) before it checks the length (no lost wake-up) and checks
 * again after a reconnection.
 */
import { integerOption } from '../../core/storeInput.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { QueueFullError, TaskError } from '../../core/errors.js';
import {
  DEFAULT_MAX_MESSAGES_PER_TASK,
  type TaskMessageQueue,
  type TaskMessageQueueOptions,
  type TaskQueuedMessage,
} from '../../core/messageQueue.js';
import { RedisConnection, type RedisConnectionOptions, type RedisTarget } from './connection.js';
import { KnownFacts } from './knownFacts.js';
import type { RedisClient } from './luaScript.js';
import { RedisScripts } from './scripts.js';
import { WatchedKeys } from './watchedKeys.js';

/** Options of a {@link RedisTaskMessageQueue}. */
export interface RedisTaskMessageQueueOptions extends TaskMessageQueueOptions, RedisConnectionOptions {
  /**
   * Expiry (ms after the last enqueue) of a queue whose task is not in this key prefix's store.
   * A task's own queue expires with the task. Default 3,600,000 (1 h).
   */
  orphanQueueTtlMs?: number;
}

/** The default {@link RedisTaskMessageQueueOptions.orphanQueueTtlMs}. */
export const DEFAULT_ORPHAN_QUEUE_TTL = 3_600_000;

function checkTaskId(taskId: unknown): asserts taskId is string {
  if (typeof taskId !== 'string' || taskId.length === 0 || taskId.length > 256) {
    throw new TaskError(ErrorCode.InvalidParams, 'taskId must be a non-empty string');
  }
}

function decode(json: string): TaskQueuedMessage {
  return JSON.parse(json) as TaskQueuedMessage;
}

/** A {@link TaskMessageQueue} in Redis, shared by any number of processes. */
export class RedisTaskMessageQueue implements TaskMessageQueue {
  /** The per-task bound. */
  readonly maxMessagesPerTask: number;
  /** Expiry of queues whose task is unknown. */
  readonly orphanQueueTtlMs: number;
  /** The connection (shared when built by `createRedisBackend`). */
  readonly connection: RedisConnection;

  readonly #scripts: RedisScripts;
  readonly #waiting: WatchedKeys<true>;
  /** Queues known to be empty. */
  readonly #empty: KnownFacts<true>;

  /** `redis` is a URL, an ioredis client or a shared {@link RedisConnection} (the last two are not closed here). */
  constructor(redis: RedisTarget | RedisConnection, options: RedisTaskMessageQueueOptions = {}) {
    this.maxMessagesPerTask = integerOption(options.maxMessagesPerTask, DEFAULT_MAX_MESSAGES_PER_TASK, 'maxMessagesPerTask');
    this.orphanQueueTtlMs = integerOption(options.orphanQueueTtlMs, DEFAULT_ORPHAN_QUEUE_TTL, 'orphanQueueTtlMs');
    const connection = (this.connection = RedisConnection.of(redis, options));
    this.#scripts = new RedisScripts(connection);
    this.#waiting = new WatchedKeys<true>({
      what: 'Task message queue',
      connection,
      channelPrefix: connection.keys.queueEvents(''),
      decode: (_message, taskId) => {
        this.#empty.touch(taskId);
        return true;
      },
      follows: (taskId) => this.#empty.follows(taskId),
      read: async (taskId) => ((await this.#hasMessages(taskId)) ? true : undefined),
    });
    this.#empty = new KnownFacts<true>(this.#waiting.continuity);
  }

  async enqueue(taskId: string, message: TaskQueuedMessage): Promise<void> {
    this.#waiting.assertOpen();
    checkTaskId(taskId);
    if (message === null || typeof message !== 'object') throw new TaskError(ErrorCode.InvalidParams, 'A queued message must be an object');
    let json: string;
    try {
      json = JSON.stringify(message);
    } catch (err) {
      throw new TaskError(ErrorCode.InvalidParams, `Message cannot be queued: ${err instanceof Error ? err.message : String(err)}`);
    }
    const length = await this.#scripts.enqueueMessage({ taskId, json, bound: this.maxMessagesPerTask, orphanExpiryMs: this.orphanQueueTtlMs });
    if (length === -1) throw new QueueFullError(taskId, this.maxMessagesPerTask);
    this.#empty.touch(taskId);
    this.#waiting.wake(taskId, true);
  }

  async dequeue(taskId: string): Promise<TaskQueuedMessage | undefined> {
    this.#waiting.assertOpen();
    checkTaskId(taskId);
    if (this.#empty.get(taskId)) return undefined;
    const json = await this.#learnEmpty(taskId, () => this.connection.call((c) => c.lpop(this.connection.keys.queue(taskId))), (reply) => reply === null);
    return json === null ? undefined : decode(json);
  }

  async dequeueAll(taskId: string): Promise<TaskQueuedMessage[]> {
    this.#waiting.assertOpen();
    checkTaskId(taskId);
    if (this.#empty.get(taskId)) return [];
    const all = await this.#learnEmpty(taskId, () => this.#scripts.drainQueue({ taskId }), () => true);
    return all.map(decode);
  }

  async size(taskId: string): Promise<number> {
    this.#waiting.assertOpen();
    checkTaskId(taskId);
    return this.connection.call((c) => c.llen(this.connection.keys.queue(taskId)));
  }

  async waitForMessage(taskId: string, signal?: AbortSignal): Promise<void> {
    this.#waiting.assertOpen();
    checkTaskId(taskId);
    await this.#waiting.wait(taskId, signal);
  }

  close(): Promise<void> {
    return this.#waiting.close();
  }

  /**
   * Runs `create`, the creation of task `taskId` by a store on the same connection and key prefix
   * (its script clears the task's queue); when `succeeded` says it did, the queue is known empty.
   */
  created<T>(taskId: string, create: () => Promise<T>, succeeded: (reply: T) => boolean): Promise<T> {
    this.#waiting.listen(); // from now on, what is learnt about the queues of new tasks can be kept
    return this.#learnEmpty(taskId, create, succeeded);
  }

  /** Whether the task's queue holds a message (false without asking Redis when it is known empty). */
  async #hasMessages(taskId: string): Promise<boolean> {
    if (this.#empty.get(taskId)) return false;
    const length = await this.#learnEmpty(taskId, () => this.connection.call((c) => c.llen(this.connection.keys.queue(taskId))), (n) => n === 0);
    return length > 0;
  }

  /** Runs `command` on the task's queue; when `leftEmpty` says its reply leaves the queue empty, that is kept as known. */
  async #learnEmpty<T>(taskId: string, command: () => Promise<T>, leftEmpty: (reply: T) => boolean): Promise<T> {
    const learning = this.#empty.begin(taskId);
    let reply: T;
    try {
      reply = await command();
    } catch (err) {
      this.#empty.abandon(learning);
      throw err;
    }
    if (leftEmpty(reply)) this.#empty.learn(learning, true);
    else this.#empty.abandon(learning);
    return reply;
  }
}
