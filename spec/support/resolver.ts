/** A one-shot future for tests (as Python's `Resolver[T]`): settled once, awaited any number of times. */
export class Resolver<T> {
  readonly #promise: Promise<T>;
  #resolve!: (value: T) => void;
  #reject!: (reason: unknown) => void;
  #done = false;

  constructor() {
    this.#promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A rejection nobody awaits must not become an unhandled rejection.
    this.#promise.catch(() => undefined);
  }

  /** Settles with a value. Throws if already settled. */
  setResult(value: T): void {
    this.#settle();
    this.#resolve(value);
  }

  /** Settles with an error. Throws if already settled. */
  setException(error: unknown): void {
    this.#settle();
    this.#reject(error);
  }

  /** Resolves with the value, or rejects with the error. */
  wait(): Promise<T> {
    return this.#promise;
  }

  /** Whether the resolver has been settled. */
  done(): boolean {
    return this.#done;
  }

  #settle(): void {
    if (this.#done) throw new Error('Resolver already completed');
    this.#done = true;
  }
}
