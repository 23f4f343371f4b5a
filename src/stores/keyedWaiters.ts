/**
 * Promises waiting on a key (a task id, a request id), woken by whoever changes that key.
 * Each waiter is registered synchronously, so a caller can register first and check state after
 * (no lost wake-up). Aborting rejects with the signal's reason; a settled waiter always removes its
 * abort listener, so many waits on one long-lived signal accumulate nothing.
 */

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
  /** Whether a wake-up with this value settles the waiter. */
  readonly accepts: (value: T) => boolean;
}

const acceptAll = (): boolean => true;

/** A map of key → set of waiters, with abort handling and bulk rejection. */
export class KeyedWaiters<K, T> {
  readonly #byKey = new Map<K, Set<Entry<T>>>();
  readonly #onEmpty: ((key: K) => void) | undefined;

  /** `onEmpty` is called when the last waiter of a key has left. */
  constructor(options: { onEmpty?: (key: K) => void } = {}) {
    this.#onEmpty = options.onEmpty;
  }

  /**
   * Registers a waiter for `key`. `accepts` decides which wake-up values settle it (default: all).
   * With an already aborted signal the waiter is rejected at once and not registered.
   */
  add(key: K, signal?: AbortSignal, accepts: (value: T) => boolean = acceptAll): Waiter<T> {
    let resolvePromise!: (value: T) => void;
    let rejectPromise!: (reason: unknown) => void;
    const promise = new Promise<T>((resolve, reject) => {
      resolvePromise = resolve;
      rejectPromise = reject;
    });
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      const set = this.#byKey.get(key);
      if (set !== undefined && set.delete(entry) && set.size === 0) {
        this.#byKey.delete(key);
        this.#onEmpty?.(key);
      }
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
    if (signal?.aborted) {
      settled = true;
      rejectPromise(signal.reason);
      return entry;
    }
    let set = this.#byKey.get(key);
    if (set === undefined) {
      set = new Set();
      this.#byKey.set(key, set);
    }
    set.add(entry);
    signal?.addEventListener('abort', onAbort, { once: true });
    return entry;
  }

  /** Resolves every waiter of `key` that accepts `value`; returns how many were resolved. */
  wake(key: K, value: T): number {
    const set = this.#byKey.get(key);
    if (set === undefined) return 0;
    let woken = 0;
    for (const entry of [...set]) {
      if (entry.accepts(value)) {
        entry.resolve(value);
        woken++;
      }
    }
    return woken;
  }

  /** Rejects every waiter of `key`. */
  rejectKey(key: K, reason: unknown): void {
    for (const entry of [...(this.#byKey.get(key) ?? [])]) entry.reject(reason);
  }

  /** Whether `key` has waiters. */
  has(key: K): boolean {
    return this.#byKey.has(key);
  }

  /** The keys that have waiters. */
  keys(): K[] {
    return [...this.#byKey.keys()];
  }

  /** Rejects every waiter of every key. */
  rejectAll(reason: unknown): void {
    for (const set of [...this.#byKey.values()]) {
      for (const entry of [...set]) entry.reject(reason);
    }
  }

  /** How many waiters are registered (all keys). */
  get size(): number {
    let n = 0;
    for (const set of this.#byKey.values()) n += set.size;
    return n;
  }

  /** How many keys have waiters. */
  get keyCount(): number {
    return this.#byKey.size;
  }
}
