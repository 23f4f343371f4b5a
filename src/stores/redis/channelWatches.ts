/**
 * Local waiters keyed by a task id or request id, woken through pub/sub. Every key's channel is
 * `<channelPrefix><key>`; the process subscribes the pattern `<channelPrefix>*` once, on its
 * first waiter, keeps it, and routes each message to the waiters of the key its channel names. So
 * waiting on a task costs no SUBSCRIBE or UNSUBSCRIBE. `add` resolves once the pattern is
 * subscribed, so the caller reads state after it and cannot lose a wake-up.
 */
import { KeyedWaiters, type Waiter } from '../keyedWaiters.js';
import { prefixPattern, type Subscriptions } from './subscriptions.js';

export type { Waiter };

/** How a {@link ChannelWatches} reaches Redis and its owner. */
export interface ChannelWatchesHooks {
  /** The shared subscriptions (opened lazily). */
  subscriptions(): Subscriptions;
  /** The start of every key's channel: the key's channel is this followed by the key. */
  channelPrefix: string;
  /** Called with every message on the channel of a key that has waiters or that {@link follows}. */
  onMessage(key: string, message: string): void;
  /** Whether messages of a key without waiters are wanted too (a fact the owner keeps about it). */
  follows?(key: string): boolean;
  /** Called when the last waiter of a key left. */
  onEmpty?(key: string): void;
  /** Called for each watched key after the pub/sub connection came back (messages may have been missed). */
  onResync(key: string): void;
}

/** Waiters by key, woken by the messages of one pattern subscription. */
export class ChannelWatches<T> {
  readonly #hooks: ChannelWatchesHooks;
  /** The pattern of every key's channel. */
  readonly #pattern: string;
  readonly #waiters = new KeyedWaiters<string, T>({ onEmpty: (key) => this.#hooks.onEmpty?.(key) });
  #unresync: (() => void) | undefined;
  /** The pattern subscription, made by the first waiter; resolves with its unlisten. */
  #listening: Promise<() => void> | undefined;

  constructor(hooks: ChannelWatchesHooks) {
    this.#hooks = hooks;
    this.#pattern = prefixPattern(hooks.channelPrefix);
  }

  /**
   * Registers a waiter for `key` (settled by a {@link wake} value it `accepts`, by `signal`, or
   * by {@link rejectAll}) and resolves once the pattern is subscribed. A failed subscription
   * rejects the returned promise (and the waiter).
   */
  async add(key: string, signal: AbortSignal | undefined, accepts: (value: T) => boolean): Promise<Waiter<T>> {
    const waiter = this.#waiters.add(key, signal, accepts);
    waiter.promise.catch(() => undefined);
    if (signal?.aborted) return waiter; // rejected already, not registered
    try {
      await this.#listen();
    } catch (err) {
      waiter.reject(err);
      throw err;
    }
    return waiter;
  }

  /**
   * Subscribes the pattern now, without waiting (a failure is retried by the next waiter): for an
   * owner that wants {@link continuity} before its first waiter.
   */
  listen(): void {
    this.#listen().catch(() => undefined);
  }

  /** Resolves every waiter of `key` that accepts `value`. */
  wake(key: string, value: T): void {
    this.#waiters.wake(key, value);
  }

  /** Rejects every waiter of `key`. */
  rejectKey(key: string, reason: unknown): void {
    this.#waiters.rejectKey(key, reason);
  }

  /** Whether `key` has waiters. */
  has(key: string): boolean {
    return this.#waiters.has(key);
  }

  /** The keys that have waiters. */
  keys(): string[] {
    return this.#waiters.keys();
  }

  /**
   * A token that the pattern is subscribed now without a break (see `Subscriptions.continuity`),
   * or `undefined` when it is not (also before the first waiter subscribed it: nothing is opened here).
   */
  continuity(): number | undefined {
    if (this.#listening === undefined) return undefined;
    return this.#hooks.subscriptions().continuity(this.#pattern);
  }

  /** Whether no message was missed since `token` was taken. */
  isContinuous(token: number): boolean {
    return this.#listening !== undefined && this.#hooks.subscriptions().isContinuous(this.#pattern, token);
  }

  /** Rejects every waiter of every key, leaves the pattern and stops following reconnections. */
  close(reason: unknown): void {
    this.#unresync?.();
    this.#waiters.rejectAll(reason);
    this.#listening?.then((unlisten) => unlisten(), () => undefined);
  }

  /** The pattern subscription: made on the first call, the same one after (again if it failed). */
  #listen(): Promise<() => void> {
    if (this.#listening !== undefined) return this.#listening;
    const subscriptions = this.#hooks.subscriptions();
    this.#unresync ??= subscriptions.onResync(() => {
      for (const watched of this.#waiters.keys()) this.#hooks.onResync(watched);
    });
    const prefix = this.#hooks.channelPrefix;
    const listening = subscriptions.listenPattern(this.#pattern, (channel, message) => {
      const key = channel.slice(prefix.length);
      if (this.#waiters.has(key) || this.#hooks.follows?.(key) === true) this.#hooks.onMessage(key, message);
    });
    this.#listening = listening;
    listening.catch(() => {
      if (this.#listening === listening) this.#listening = undefined;
    });
    return listening;
  }
}
