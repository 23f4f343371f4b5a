/**
 * One pub/sub connection shared by every waiter of a backend. It subscribes patterns, each once on
 * its first use and kept while a part of the backend listens on it, so that waiting on a new task
 * costs no SUBSCRIBE. `listenPattern` resolves only once Redis has confirmed the subscription, so a caller
 * that listens first and reads state second cannot miss a change (no lost wake-up).
 *
 * Pub/sub is fire-and-forget: messages published while the connection is down are lost. So after
 * a reconnection every pattern is subscribed again and the registered resync listeners run, which
 * re-read the state their waiters wait on.
 */
import type { RedisClient } from './luaScript.js';
import { backendError } from './errors.js';

/** Receives the messages of every channel that matches a pattern. */
export type PatternHandler = (channel: string, message: string) => void;

/** A glob pattern that matches exactly the channels that start with `prefix`. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
}

export class Subscriptions {
  readonly #sub: RedisClient;
  readonly #patterns = new Map<string, { handlers: Set<PatternHandler>; confirmed: Promise<void> }>();
  readonly #resync = new Set<() => void>();
  #connectedOnce = false;

  constructor(subscriber: RedisClient) {
    this.#sub = subscriber;
    subscriber.on('pmessage', (pattern: string, channel: string, message: string) => {
      for (const handler of [...(this.#patterns.get(pattern)?.handlers ?? [])]) {
        try {
          handler(channel, message);
        } catch {
          // A message we cannot read (someone else published on our channel): ignored. Waiters
          // still re-read the state itself, so nothing is lost.
        }
      }
    });
    subscriber.on('ready', () => {
      if (!this.#connectedOnce) {
        this.#connectedOnce = true;
        return;
      }
      void this.#afterReconnect();
    });
  }

  /** Patterns subscribed now (for tests and diagnostics). */
  get patternCount(): number {
    return this.#patterns.size;
  }

  /**
   * Calls `handler` with every message on a channel matching `pattern` from the moment the
   * returned promise resolves (the subscription is confirmed) until the function it resolves with
   * is called. Several handlers (parts sharing the connection) share one PSUBSCRIBE; the pattern
   * is unsubscribed when the last one leaves. A failed subscription rejects, and the next call
   * tries again.
   */
  async listenPattern(pattern: string, handler: PatternHandler): Promise<() => void> {
    let entry = this.#patterns.get(pattern);
    if (entry === undefined) {
      const created = { handlers: new Set<PatternHandler>(), confirmed: this.#psubscribe(pattern) };
      created.confirmed.catch(() => {
        if (this.#patterns.get(pattern) === created) this.#patterns.delete(pattern);
      });
      this.#patterns.set(pattern, created);
      entry = created;
    }
    const joined = entry;
    joined.handlers.add(handler);
    const unlisten = (): void => {
      if (!joined.handlers.delete(handler) || joined.handlers.size > 0 || this.#patterns.get(pattern) !== joined) return;
      this.#patterns.delete(pattern);
      this.#sub.punsubscribe(pattern).catch(() => undefined);
    };
    try {
      await joined.confirmed;
    } catch (err) {
      unlisten();
      throw err;
    }
    return unlisten;
  }

  /** Sends the PSUBSCRIBE once the connection is ready; its errors as backend errors. */
  async #psubscribe(pattern: string): Promise<void> {
    try {
      // Never while the connection is between 'connect' and 'ready': ioredis would write the
      // PSUBSCRIBE at once (it may run while Redis loads) and then refuse its own ready check on a
      // connection in subscriber mode, reconnecting forever. Before 'ready' we wait for it.
      if (this.#sub.status !== 'ready') await this.#ready();
      await this.#sub.psubscribe(pattern);
    } catch (err) {
      throw backendError(err);
    }
  }

  /** Resolves at the connection's next 'ready'; rejects if it ends for good first. */
  #ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const sub = this.#sub;
      const onReady = (): void => {
        sub.off('end', onEnd);
        resolve();
      };
      const onEnd = (): void => {
        sub.off('ready', onReady);
        reject(new Error('the Redis pub/sub connection was closed'));
      };
      sub.once('ready', onReady);
      sub.once('end', onEnd);
    });
  }

  /** Runs `listener` after every reconnection, once the patterns are subscribed again. */
  onResync(listener: () => void): () => void {
    this.#resync.add(listener);
    return () => this.#resync.delete(listener);
  }

  async #afterReconnect(): Promise<void> {
    const patterns = [...this.#patterns.keys()];
    try {
      if (patterns.length > 0) await this.#sub.psubscribe(...patterns);
    } catch {
      return; // Disconnected again: the next 'ready' retries.
    }
    for (const listener of [...this.#resync]) listener();
  }

  /** Stops dispatching; the owner closes the connection. */
  close(): void {
    this.#patterns.clear();
    this.#resync.clear();
  }
}
