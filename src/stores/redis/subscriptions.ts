/**
 * One pub/sub connection shared by every waiter of a backend. It subscribes patterns, each once on
 * its first use and kept until the backend closes, so that waiting on a new task costs no
 * SUBSCRIBE. `listenPattern` resolves only once Redis has confirmed the subscription, so a caller
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
  readonly #patterns = new Map<string, { handler: PatternHandler; confirmed: Promise<void> }>();
  readonly #resync = new Set<() => void>();
  #connectedOnce = false;

  constructor(subscriber: RedisClient) {
    this.#sub = subscriber;
    subscriber.on('pmessage', (pattern: string, channel: string, message: string) => {
      try {
        this.#patterns.get(pattern)?.handler(channel, message);
      } catch {
        // A message we cannot read (someone else published on our channel): ignored. Waiters
        // still re-read the state itself, so nothing is lost.
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
   * returned promise resolves (the subscription is confirmed) until {@link close}. One handler per
   * pattern; listening again on a pattern returns its first subscription's confirmation. A failed
   * subscription rejects, and the next call tries again.
   */
  listenPattern(pattern: string, handler: PatternHandler): Promise<void> {
    const known = this.#patterns.get(pattern);
    if (known) return known.confirmed;
    const entry = { handler, confirmed: this.#confirm(() => this.#sub.psubscribe(pattern)) };
    this.#patterns.set(pattern, entry);
    entry.confirmed.catch(() => {
      if (this.#patterns.get(pattern) === entry) this.#patterns.delete(pattern);
    });
    return entry.confirmed;
  }

  /** Runs a PSUBSCRIBE once the connection is ready; its errors as backend errors. */
  async #confirm(subscribe: () => Promise<unknown>): Promise<void> {
    try {
      // Never while the connection is between 'connect' and 'ready': ioredis would write the
      // PSUBSCRIBE at once (it may run while Redis loads) and then refuse its own ready check on a
      // connection in subscriber mode, reconnecting forever. Before 'ready' we wait for it.
      if (this.#sub.status !== 'ready') await this.#ready();
      await subscribe();
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
