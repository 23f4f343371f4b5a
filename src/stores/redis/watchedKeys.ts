/**
 * What the Redis queue and response channel share: a connection they attach to, waiters by key
 * woken through each key's pub/sub channel (one pattern subscription per kind; re-checked after a
 * reconnection), a wait that reads the key's state only once that subscription is confirmed (no
 * lost wake-up), and closing.
 */
import { StoreClosedError } from '../../core/errors.js';
import { ChannelWatches } from './channelWatches.js';
import type { Continuity } from './knownFacts.js';
import type { RedisConnection } from './connection.js';
import { RedisBackendError } from './errors.js';

/** What one kind of watched key is. */
export interface WatchedKeysSpec<T> {
  /** Its name in errors (`Task message queue`). */
  readonly what: string;
  readonly connection: RedisConnection;
  /** The start of every key's pub/sub channel (the channel is this followed by the key). */
  readonly channelPrefix: string;
  /** What a message on the channel of `key` wakes the waiters with. */
  decode(message: string, key: string): T;
  /** Whether messages of a key without waiters are wanted too (see `ChannelWatchesHooks.follows`). */
  follows?(key: string): boolean;
  /** The key's state in Redis: what its waiters get, or `undefined` while there is nothing for them. */
  read(key: string): Promise<T | undefined>;
}

/** Waiters on one kind of Redis key, for one owner that closes them. */
export class WatchedKeys<T> {
  readonly #spec: WatchedKeysSpec<T>;
  readonly #watches: ChannelWatches<T>;
  #closed = false;

  /** Attaches to the connection (detached again by {@link close}). */
  constructor(spec: WatchedKeysSpec<T>) {
    this.#spec = spec;
    spec.connection.attach();
    this.#watches = new ChannelWatches<T>({
      subscriptions: () => spec.connection.subscriptions,
      onResync: (key) => void this.#check(key),
      channelPrefix: spec.channelPrefix,
      onMessage: (key, message) => this.#watches.wake(key, spec.decode(message, key)),
      ...(spec.follows === undefined ? {} : { follows: spec.follows }),
    });
  }

  /** Subscribes the channel pattern now, without waiting (see `ChannelWatches.listen`). */
  listen(): void {
    this.#watches.listen();
  }

  /** Whether the channel pattern is subscribed without a break: see `ChannelWatches.continuity`. */
  get continuity(): Continuity {
    return this.#watches;
  }

  /** Throws `StoreClosedError` after {@link close}. */
  assertOpen(): void {
    if (this.#closed) throw new StoreClosedError(this.#spec.what);
  }

  /** Wakes this process's waiters of `key` (a change made here). */
  wake(key: string, value: T): void {
    this.#watches.wake(key, value);
  }

  /** Resolves with the key's value once there is one (at once if there is one already); rejects with the signal's reason on abort. */
  async wait(key: string, signal?: AbortSignal): Promise<T> {
    try {
      const waiter = await this.#watches.add(key, signal, () => true);
      await this.#check(key);
      return await waiter.promise;
    } catch (err) {
      // A wait whose Redis call was cut short by close() ends like every other waiter at close.
      if (this.#closed && err instanceof RedisBackendError) throw new StoreClosedError(this.#spec.what);
      throw err;
    }
  }

  /** Rejects every waiter with `StoreClosedError` and detaches from the connection. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watches.close(new StoreClosedError(this.#spec.what));
    await this.#spec.connection.detach();
  }

  /** Wakes the key's waiters if Redis has a value for them; a failed read rejects them. */
  async #check(key: string): Promise<void> {
    try {
      const value = await this.#spec.connection.whenReady(() => this.#spec.read(key));
      if (value !== undefined) this.#watches.wake(key, value);
    } catch (err) {
      this.#watches.rejectKey(key, err);
    }
  }
}
