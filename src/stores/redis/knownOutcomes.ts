/**
 * The outcomes (result or JSON-RPC error, as stored JSON) of tasks this process finished, kept
 * beside their terminal state in `KnownFacts`: an outcome never changes once stored, so while the
 * terminal state is known the outcome can be answered without reading it back. Bounded by a byte
 * budget (oldest first out); an outcome larger than a quarter of it is not kept.
 */

/** The default byte budget (UTF-16 length of the JSON, a close enough measure). */
export const DEFAULT_OUTCOME_BUDGET = 4 * 1024 * 1024;

export class KnownOutcomes {
  readonly #entries = new Map<string, string>();
  readonly #budget: number;
  #size = 0;

  constructor(budget = DEFAULT_OUTCOME_BUDGET) {
    this.#budget = budget;
  }

  /** Keeps the outcome JSON of a task that just became terminal. */
  keep(taskId: string, json: string): void {
    this.forget(taskId);
    if (json.length > this.#budget / 4) return;
    this.#entries.set(taskId, json);
    this.#size += json.length;
    for (const [oldest, value] of this.#entries) {
      if (this.#size <= this.#budget) break;
      this.#entries.delete(oldest);
      this.#size -= value.length;
    }
  }

  /** The outcome JSON kept for `taskId`, if any. */
  get(taskId: string): string | undefined {
    return this.#entries.get(taskId);
  }

  forget(taskId: string): void {
    const value = this.#entries.get(taskId);
    if (value === undefined) return;
    this.#entries.delete(taskId);
    this.#size -= value.length;
  }
}
