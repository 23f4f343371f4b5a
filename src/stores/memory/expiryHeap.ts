/**
 * A binary min-heap of `(expiresAt, seq)` pairs: the next task to expire is always on top, so one
 * timer can be armed for it. Entries of tasks removed early stay until they surface (the caller
 * skips them) or until the caller rebuilds the heap from its live tasks.
 */
export interface ExpiryEntry {
  /** Epoch ms at which the task expires. */
  readonly at: number;
  /** The task's creation sequence number. */
  readonly seq: number;
}

export class ExpiryHeap {
  #items: ExpiryEntry[] = [];

  /** Number of entries, stale ones included. */
  get size(): number {
    return this.#items.length;
  }

  /** The entry that expires first, or `undefined`. */
  peek(): ExpiryEntry | undefined {
    return this.#items[0];
  }

  /** Adds an entry. */
  push(entry: ExpiryEntry): void {
    const items = this.#items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= entry.at) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = entry;
  }

  /** Removes and returns the entry that expires first. */
  pop(): ExpiryEntry | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && items[right]!.at < items[left]!.at ? right : left;
      if (items[child]!.at >= last.at) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }

  /** Replaces the contents with `entries` (used to drop stale entries). */
  rebuild(entries: Iterable<ExpiryEntry>): void {
    this.#items = [];
    for (const entry of entries) this.push(entry);
  }

  /** Removes every entry. */
  clear(): void {
    this.#items = [];
  }
}
