/** Guards that turn a hang into a test failure, and small helpers for awaiting outcomes. */
import assert from 'node:assert/strict';
import { setImmediate as nextMacrotask } from 'node:timers/promises';

/** Thrown when a wait that must end did not end within the kit's hang timeout. */
export class ContractHangError extends Error {
  constructor(what: string, ms: number) {
    super(`hang: ${what} did not settle within ${ms} ms`);
    this.name = 'ContractHangError';
  }
}

/**
 * Settles like `promise`, or rejects with {@link ContractHangError} if it has not settled after
 * `ms`. `what` describes the wait (and, for races, the seed) in the failure message.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ContractHangError(typeof what === 'string' ? what : what(), ms)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Tracks whether a promise has settled yet, without changing it. */
export function track<T>(promise: Promise<T>): { promise: Promise<T>; readonly settled: boolean } {
  let settled = false;
  const tracked = promise.then(
    (value) => {
      settled = true;
      return value;
    },
    (error: unknown) => {
      settled = true;
      throw error;
    },
  );
  tracked.catch(() => undefined);
  return {
    promise: tracked,
    get settled() {
      return settled;
    },
  };
}

/** Lets `turns` macrotask turns pass (pending I/O callbacks and timers due now get to run). */
export async function macrotasks(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await nextMacrotask();
}

/** Resolves once `Date.now()` has reached `epochMs` (real time passing, e.g. for a TTL). */
export async function sleepUntil(epochMs: number): Promise<void> {
  for (;;) {
    const left = epochMs - Date.now();
    if (left < 0) return;
    await new Promise<void>((resolve) => setTimeout(resolve, left + 1));
  }
}

/** Calls `fn`, turning a synchronous throw into a rejection (so either counts as "fails"). */
export function settle<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The value `promise` rejects with; fails the test if it fulfils instead. */
export async function rejection(promise: Promise<unknown>, what: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail(`${what}: expected a rejection, but it fulfilled`);
}

/**
 * The error `promise` rejects with, checked to be an instance of `type`; fails the test if it
 * fulfils or rejects with anything else.
 */
export async function rejectsWith<E>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
  what: string,
): Promise<E> {
  const error = await rejection(promise, what);
  if (!(error instanceof type)) {
    assert.fail(`${what}: expected a ${type.name}, got ${describeError(error)}`);
  }
  return error;
}

/** A one-line description of anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${code === undefined ? '' : ` (code ${String(code)})`}: ${error.message}`;
  }
  return `non-Error value ${JSON.stringify(error)}`;
}
