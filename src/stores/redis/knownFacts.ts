/**
 * Facts this process learned from Redis (a task's state, an empty queue) that stay true until a
 * pub/sub message says otherwise. A fact is kept only when the command that learned it was sent
 * while the key's channel pattern was subscribed (with the continuity token of that span,
 * `ChannelWatches.continuity`), and no message about the key arrived while the command was on its
 * way: every later change of the key then arrives as a message, so the fact can be used instead
 * of reading Redis again. A break of the pub/sub connection, or the fact's own deadline (a task's
 * expiry, which sends no message), makes it unknown again.
 *
 * Bounded: past `capacity` entries the oldest is forgotten (it is read again when needed).
 */

/** Where the continuity tokens come from. */
export interface Continuity {
  /** A token for the span in which the pattern is subscribed now, or `undefined` when it is not. */
  continuity(): number | undefined;
  /** Whether no message was missed since `token` was taken. */
  isContinuous(token: number): boolean;
}

/** A command about to learn a fact (from {@link KnownFacts.begin}). */
export interface Learning {
  readonly key: string;
  readonly token: number | undefined;
  /** The message count of the key when the command was sent. */
  readonly touches: number;
}

interface Fact<T> {
  value: T;
  readonly token: number;
  /** `performance.now()` after which the fact is no longer sure (Infinity: none). */
  readonly until: number;
}

/** The default most facts kept. */
export const DEFAULT_FACT_CAPACITY = 10_000;

/** Facts by key (task id), each valid while its span of continuity lasts. */
export class KnownFacts<T> {
  readonly #entries = new Map<string, Fact<T>>();
  /** Keys with commands on their way: how many, and how many messages about the key came meanwhile. */
  readonly #learning = new Map<string, { commands: number; touches: number }>();
  readonly #continuity: Continuity;
  readonly #capacity: number;
  /** Whether `value` is more recent than `current` (a task's version); default: always. */
  readonly #newer: (value: T, current: T) => boolean;

  constructor(continuity: Continuity, options: { capacity?: number; newer?: (value: T, current: T) => boolean } = {}) {
    this.#continuity = continuity;
    this.#capacity = options.capacity ?? DEFAULT_FACT_CAPACITY;
    this.#newer = options.newer ?? (() => true);
  }

  /** Call right before sending a command whose reply is a fact about `key`; end it with {@link learn} or {@link abandon}. */
  begin(key: string): Learning {
    let learning = this.#learning.get(key);
    if (learning === undefined) {
      learning = { commands: 0, touches: 0 };
      this.#learning.set(key, learning);
    }
    learning.commands += 1;
    return { key, token: this.#continuity.continuity(), touches: learning.touches };
  }

  /**
   * Keeps `value`, the reply of the command of `learning`, sure until `until` (`performance.now()`
   * ms) — unless the pattern was not subscribed when it was sent, or a message about the key came
   * while it was on its way (the reply may be older than that message). An older value than the
   * one kept (per `newer`) is ignored.
   */
  learn(learning: Learning, value: T, until = Number.POSITIVE_INFINITY): void {
    const touched = this.#end(learning);
    const { key, token } = learning;
    if (touched || token === undefined || !this.#continuity.isContinuous(token)) return;
    const current = this.#valid(key);
    if (current !== undefined && !this.#newer(value, current.value)) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, token, until: current === undefined ? until : Math.min(until, current.until) });
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  /** Ends a learning whose command failed. */
  abandon(learning: Learning): void {
    this.#end(learning);
  }

  /**
   * A message about `key` arrived (or this process changed it): commands on their way learn
   * nothing, and a kept fact takes `value` when it is newer, or is forgotten without a value.
   */
  touch(key: string, ...value: [] | [T]): void {
    const learning = this.#learning.get(key);
    if (learning !== undefined) learning.touches += 1;
    if (value.length === 0) {
      this.#entries.delete(key);
      return;
    }
    const current = this.#valid(key);
    if (current !== undefined && this.#newer(value[0], current.value)) current.value = value[0];
  }

  /** The value kept for `key` while it is sure, else `undefined`. */
  get(key: string): T | undefined {
    return this.#valid(key)?.value;
  }

  /** The fact kept for `key` while it is sure — its value and until when (`performance.now()` ms) — else `undefined`. */
  fact(key: string): { readonly value: T; readonly until: number } | undefined {
    return this.#valid(key);
  }

  /** Whether messages about `key` matter: a fact is kept about it, or a command is learning one. */
  follows(key: string): boolean {
    return this.#entries.has(key) || this.#learning.has(key);
  }

  /** Whether the learning was touched by a message; ends it. */
  #end(learning: Learning): boolean {
    const entry = this.#learning.get(learning.key);
    if (entry === undefined) return true;
    const touched = entry.touches !== learning.touches;
    entry.commands -= 1;
    if (entry.commands === 0) this.#learning.delete(learning.key);
    return touched;
  }

  /** The entry of `key` if it is still sure; a fact that is not is dropped. */
  #valid(key: string): Fact<T> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#continuity.isContinuous(entry.token) && performance.now() < entry.until) return entry;
    this.#entries.delete(key);
    return undefined;
  }
}
