/**
 * Local waiters keyed by a task id or request id, woken through the key's pub/sub channel. The
 * first waiter of a key subscribes the channel; the last one to leave unsubscribes it. `add`
 * resolves once the subscription is confirmed, so the caller reads state after it and cannot lose
 * a wake-up.
 */
import type { Subscriptions } from './subscriptions.js';

/** One registered waiter. */
export interface Waiter<T> {
  /** Settles when woken, aborted or rejected. */
  readonly promise: Promise<T>;
  /** Resolves (and unregisters) the waiter; later calls do nothing. */
  resolve(value: T): void;
  /** Rejects (and unregisters) the waiter; later calls do nothing. */
  reject(reason: unknown): void;
}

interface Entry<T> extends Waiter<T> {
  readonly accepts: (value: T) => boolean;
}

interface Watch<T> {
  readonly waiters: Set<Entry<T>>;
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
}

export class ChannelWatches<T> {
  readonly #hooks: ChannelWatchesHooks;
  readonly #byKey = new Map<string, Watch<T>>();

  constructor(hooks: ChannelWatchesHooks) {
    this.#hooks = hooks;
  }

  /**
   * Registers a waiter for `key` (settled by a {@link wake} value it `accepts`, by `signal`, or
   * by {@link rejectAll}) and resolves once its channel is subscribed. A failed subscription
   * rejects the returned promise (and the waiter).
   */
  async add(key: string, signal: AbortSignal | undefined, accepts: (value: T) => boolean): Promise<Waiter<T>> {
    let resolvePromise!: (value: T) => void;
    let rejectPromise!: (reason: unknown) => void;
    const promise = new Promise<T>((resolve, reject) => {
      resolvePromise = resolve;
      rejectPromise = reject;
    });
    promise.catch(() => undefined);
    if (signal?.aborted) {
      rejectPromise(signal.reason);
      return { promise, resolve: () => undefined, reject: () => undefined };
    }
    let watch = this.#byKey.get(key);
    if (watch === undefined) watch = this.#open(key);
    const current = watch;
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      current.waiters.delete(entry);
      if (current.waiters.size === 0 && this.#byKey.get(key) === current) this.#close(key, current);
      return true;
    };
    const entry: Entry<T> = {
      promise,
      accepts,
      resolve: (value) => {
        if (settle()) resolvePromise(value);
      },
      reject: (reason) => {
        if (settle()) rejectPromise(reason);
      },
    };
    const onAbort = (): void => entry.reject(signal?.reason);
    current.waiters.add(entry);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await current.listening;
    } catch (err) {
      entry.reject(err);
      throw err;
    }
    return entry;
  }

  /** Resolves every waiter of `key` that accepts `value`. */
  wake(key: string, value: T): void {
    const watch = this.#byKey.get(key);
    if (watch === undefined) return;
    for (const entry of [...watch.waiters]) if (entry.accepts(value)) entry.resolve(value);
  }

  /** Rejects every waiter of `key`. */
  rejectKey(key: string, reason: unknown): void {
    const watch = this.#byKey.get(key);
    if (watch !== undefined) for (const entry of [...watch.waiters]) entry.reject(reason);
  }

  /** Whether `key` has waiters. */
  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  /** The keys that have waiters. */
  keys(): string[] {
    return [...this.#byKey.keys()];
  }

  /** Rejects every waiter of every key. */
  rejectAll(reason: unknown): void {
    for (const watch of [...this.#byKey.values()]) for (const entry of [...watch.waiters]) entry.reject(reason);
  }

  #open(key: string): Watch<T> {
    const watch: Watch<T> = { waiters: new Set(), listening: Promise.resolve(), unlisten: undefined };
    this.#byKey.set(key, watch);
    watch.listening = this.#hooks
      .subscriptions()
      .listen(this.#hooks.channelOf(key), (message) => this.#hooks.onMessage(key, message))
      .then(
        (unlisten) => {
          if (this.#byKey.get(key) === watch) watch.unlisten = unlisten;
          else unlisten();
        },
        (err: unknown) => {
          if (this.#byKey.get(key) === watch) this.#byKey.delete(key);
          throw err;
        },
      );
    watch.listening.catch(() => undefined);
    return watch;
  }

  #close(key: string, watch: Watch<T>): void {
    this.#byKey.delete(key);
    watch.unlisten?.();
    this.#hooks.onEmpty?.(key);
  }
}
