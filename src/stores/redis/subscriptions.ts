/**
 * One pub/sub connection shared by every waiter of a backend. It subscribes patterns, each once on
 * its first use and kept while a part of the backend listens on it, so that waiting on a new task
 * costs no SUBSCRIBE. `listenPattern` resolves only once Redis has confirmed the subscription, so a caller
 * that listens first and reads state second cannot miss a change (no lost wake-up).
 *
 * Pub/sub is fire-and-forget: messages published while the connection is down are lost. So after
 * a reconnection every pattern is subscribed again and the registered resync listeners run, which
 * re-read the state their waiters wait on.
 *
 * Continuity: while a pattern stays subscribed without a break, every message published on its
 * channels reaches this process. {@link Subscriptions.continuity} hands out a token for that span,
 * so a part that learned a fact from Redis (a task's state, an empty queue) after taking the token
 * knows the fact is still current until a message says otherwise — as long as the token is
 * {@link Subscriptions.isContinuous}. Any break of the connection ends every span.
 */
import { isCluster, type RedisClient } from './luaScript.js';
import { backendError } from './errors.js';

/** Receives the messages of every channel that matches a pattern. */
export type PatternHandler = (channel: string, message: string) => void;

/** A glob pattern that matches exactly the channels that start with `prefix`. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
}

interface PatternEntry {
  readonly handlers: Set<PatternHandler>;
  /** Settles once Redis confirmed the subscription (by its PSUBSCRIBE or by a resubscription), or it failed. */
  readonly confirmed: Promise<void>;
  /** Resolves {@link confirmed} (a resubscription after a reconnection counts). */
  readonly confirm: () => void;
  /** The span in which Redis last confirmed the subscription (`-1`: not confirmed yet). */
  confirmedIn: number;
}

/** The pub/sub patterns of one connection, shared by every part of a backend. */
export class Subscriptions {
  readonly #open: () => RedisClient;
  #sub: RedisClient;
  readonly #patterns = new Map<string, PatternEntry>();
  readonly #resync = new Set<() => void>();
  /** Counts the breaks of the pub/sub connection: a continuity token is the value it had. */
  #span = 0;
  /**
   * Whether every break of the connection in use is seen. Not for a Cluster client: ioredis moves
   * its subscriber to another node by itself, without an event, and what was published in between
   * is lost unseen.
   */
  #seesBreaks: boolean;
  #closed = false;

  /**
   * `open` makes the pub/sub connection. When the one in use ends for good (a connection to one
   * Cluster node gives up after a few attempts), `open` is called again — for the next node — and
   * the new connection subscribes every pattern again, after which the waiters re-read.
   */
  constructor(open: () => RedisClient) {
    this.#open = open;
    this.#sub = this.#attach(open(), false);
    this.#seesBreaks = !isCluster(this.#sub);
  }

  /** The pub/sub connection in use now (its owner closes it). */
  get client(): RedisClient {
    return this.#sub;
  }

  #attach(subscriber: RedisClient, replacement: boolean): RedisClient {
    subscriber.on('pmessage', (pattern: string, channel: string, message: string) => {
      if (subscriber !== this.#sub) return;
      for (const handler of [...(this.#patterns.get(pattern)?.handlers ?? [])]) {
        try {
          handler(channel, message);
        } catch {
          // A message we cannot read (someone else published on our channel): ignored. Waiters
          // still re-read the state itself, so nothing is lost.
        }
      }
    });
    const broken = (): void => {
      this.#span += 1;
    };
    subscriber.on('close', broken);
    subscriber.on('end', () => {
      broken();
      if (this.#closed || subscriber !== this.#sub) return;
      this.#sub = this.#attach(this.#open(), true);
      this.#seesBreaks = !isCluster(this.#sub);
    });
    // The first 'ready' of the first connection is its start; every later one, and the first one
    // of a replacement, follows a break.
    let starting = !replacement;
    subscriber.on('ready', () => {
      if (starting) {
        starting = false;
        return;
      }
      void this.#afterReconnect();
    });
    return subscriber;
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
      let confirm!: () => void;
      let fail!: (error: unknown) => void;
      const confirmed = new Promise<void>((resolve, reject) => {
        confirm = resolve;
        fail = reject;
      });
      const created: PatternEntry = { handlers: new Set<PatternHandler>(), confirmed, confirm, confirmedIn: -1 };
      // A PSUBSCRIBE lost with the connection fails only if no resubscription confirmed it meanwhile.
      this.#psubscribe(pattern, created).then(confirm, (error: unknown) => {
        if (created.confirmedIn < 0) fail(error);
      });
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

  /**
   * A token for the span in which `pattern` is subscribed now without a break, or `undefined`
   * when it is not (not yet confirmed, or the connection broke since) or cannot be known (a
   * Cluster client).
   */
  continuity(pattern: string): number | undefined {
    if (!this.#seesBreaks) return undefined;
    const entry = this.#patterns.get(pattern);
    return entry !== undefined && entry.confirmedIn === this.#span ? this.#span : undefined;
  }

  /** Whether `pattern` is still subscribed in the span of `token` (from {@link continuity}): no message was missed since. */
  isContinuous(pattern: string, token: number): boolean {
    return this.continuity(pattern) === token;
  }

  /** Sends the PSUBSCRIBE once the connection is ready and notes its span; its errors as backend errors. */
  async #psubscribe(pattern: string, entry: PatternEntry): Promise<void> {
    try {
      // Never while the connection is between 'connect' and 'ready': ioredis would write the
      // PSUBSCRIBE at once (it may run while Redis loads) and then refuse its own ready check on a
      // connection in subscriber mode, reconnecting forever. Before 'ready' we wait for it.
      if (this.#sub.status !== 'ready') await this.#ready();
      const span = this.#span;
      await this.#sub.psubscribe(pattern);
      if (this.#span === span) entry.confirmedIn = span;
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
    const span = this.#span;
    try {
      if (patterns.length > 0) await this.#sub.psubscribe(...patterns);
    } catch {
      return; // Disconnected again: the next 'ready' retries.
    }
    if (this.#span === span) {
      for (const pattern of patterns) {
        const entry = this.#patterns.get(pattern);
        if (entry === undefined) continue;
        entry.confirmedIn = span;
        entry.confirm(); // also a subscription whose own PSUBSCRIBE was lost in the break
      }
    }
    for (const listener of [...this.#resync]) listener();
  }

  /** Stops dispatching (and replacing the connection); the owner closes the connection. */
  close(): void {
    this.#closed = true;
    this.#patterns.clear();
    this.#resync.clear();
  }
}
