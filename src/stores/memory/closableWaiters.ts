/** The waiters of an in-memory part that can be closed: afterwards every call fails with `StoreClosedError`. */
import { StoreClosedError } from '../../core/errors.js';
import { KeyedWaiters } from '../keyedWaiters.js';

/** Waiters by key plus the part's open/closed state. */
export class ClosableWaiters<T> extends KeyedWaiters<string, T> {
  readonly #what: string;
  #closed = false;

  /** `what` names the part in errors (`Task message queue`). */
  constructor(what: string) {
    super();
    this.#what = what;
  }

  /** Throws `StoreClosedError` once closed. */
  assertOpen(): void {
    if (this.#closed) throw new StoreClosedError(this.#what);
  }

  /** Rejects every waiter with `StoreClosedError`; false when it was closed already. */
  close(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    this.rejectAll(new StoreClosedError(this.#what));
    return true;
  }
}
