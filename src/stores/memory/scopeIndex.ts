/**
 * One owner scope's tasks in creation order, for `tasks/list`: the creation sequence numbers of
 * the scope's tasks (ascending, because they are appended as created), found by binary search.
 * Removed tasks are dropped lazily; the array is compacted once dead entries outnumber live ones,
 * so memory stays proportional to the live tasks and removal is amortized O(1).
 */
export class ScopeIndex {
  #seqs: number[] = [];
  #dead = 0;
  /** Live tasks of the scope. */
  live = 0;
  /** Live non-terminal tasks of the scope (for `maxActiveTasksPerScope`). */
  active = 0;

  /** Appends a newly created task (its sequence number is larger than every earlier one). */
  add(seq: number): void {
    this.#seqs.push(seq);
    this.live++;
  }

  /**
   * Records that a task left the scope. `isLive` tells a sequence number that is still live,
   * used when compacting.
   */
  remove(isLive: (seq: number) => boolean): void {
    this.live--;
    this.#dead++;
    if (this.#dead > 32 && this.#dead > this.live) {
      this.#seqs = this.#seqs.filter(isLive);
      this.#dead = 0;
    }
  }

  /** The index of the first sequence number greater than `position`. */
  firstAfter(position: number): number {
    let lo = 0;
    let hi = this.#seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#seqs[mid]! <= position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The sequence number at `index` (live or not), or `undefined` past the end. */
  at(index: number): number | undefined {
    return this.#seqs[index];
  }
}
