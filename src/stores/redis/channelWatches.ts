/**
 * Local waiters keyed by a task id or request id, woken through the key's pub/sub channel. The
 * first waiter of a key subscribes the channel; the last one to leave unsubscribes it. `add`
 * resolves once the subscription is confirmed, so the caller reads state after it and cannot lose
 * a wake-up.
 */
import { KeyedWaiters, type Waiter } from '../keyedWaiters.js';
import type { Subscriptions } from './subscriptions.js';

export type { Waiter };

/** A key's subscription: confirmed when `listening` resolves. */
interface Watch {
  listening: Promise<void>;
  unlisten: (() => void) | undefined;
}

/** How a {@link ChannelWatches} reaches Redis and its owner. */
export interface ChannelWatchesHooks {
  /** The shared subscriptions (opened lazily). */
  subscriptions(): Subscriptions;
  /** The channel that carries the key's wake-ups. */
  channelOf(key: string): string;
  /** Called with every message on a watched key's channel. */
  onMessage(key: string, message: string): void;
  /** Called when the last waiter of a key left. */
  onEmpty?(key: string): void;
  /** Called for each watched key after the pub/sub connection came back (messages may have been missed). */
  onResync(key: string): void;
}

/** Waiters by key, each key's channel subscribed while it has waiters. */
export class ChannelWatches<T> {
  readonly #hooks: ChannelWatchesHooks;
  readonly #watches = new Map<string, Watch>();
  readonly #waiters = new KeyedWaiters<string, T>({ onEmpty: (key) => this.#close(key) });
  #unresync: (() => void) | undefined;

  constructor(hooks: ChannelWatchesHooks) {
    this.#hooks = hooks;
  }

  /**
   * Registers a waiter for `key` (settled by a {@link wake} value it `accepts`, by `signal`, or
   * by {@link rejectAll}) and resolves once its channel is subscribed. A failed subscription
   * rejects the returned promise (and the waiter).
   */
  async add(key: string, signal: AbortSignal | undefined, accepts: (value: T) => boolean): Promise<Waiter<T>> {
    const waiter = this.#waiters.add(key, signal, accepts);
    waiter.promise.catch(() => undefined);
    if (signal?.aborted) return waiter; // rejected already, not registered
    const watch = this.#watches.get(key) ?? this.#open(key);
    try {
      await watch.listening;
    } catch (err) {
      waiter.reject(err);
      throw err;
    }
    return waiter;
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

  /** Rejects every waiter of every key and stops following reconnections. */
  close(reason: unknown): void {
    this.#unresync?.();
    this.#waiters.rejectAll(reason);
  }

  #open(key: string): Watch {
    const watch: Watch = { listening: Promise.resolve(), unlisten: undefined };
    this.#watches.set(key, watch);
    const subscriptions = this.#hooks.subscriptions();
    this.#unresync ??= subscriptions.onResync(() => {
      for (const watched of this.#waiters.keys()) this.#hooks.onResync(watched);
    });
    watch.listening = subscriptions
      .listen(this.#hooks.channelOf(key), (message) => this.#hooks.onMessage(key, message))
      .then(
        (unlisten) => {
          if (this.#watches.get(key) === watch) watch.unlisten = unlisten;
          else unlisten();
        },
        (err: unknown) => {
          if (this.#watches.get(key) === watch) this.#watches.delete(key);
          throw err;
        },
      );
    watch.listening.catch(() => undefined);
    return watch;
  }

  #close(key: string): void {
    const watch = this.#watches.get(key);
    this.#watches.delete(key);
    watch?.unlisten?.();
    this.#hooks.onEmpty?.(key);
  }
}
