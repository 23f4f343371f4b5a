/** Heap measurement: a forced full GC (even without `--expose-gc`) and settled `heapUsed`. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let cached: (() => void) | undefined;

/** A function that runs a full garbage collection. */
export function gcFunction(): () => void {
  if (cached) return cached;
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) {
    cached = existing;
  } else {
    // Exposes `gc` to contexts created from now on; the main context is unaffected.
    setFlagsFromString('--expose-gc');
    cached = runInNewContext('gc') as () => void;
  }
  return cached;
}

/** `heapUsed` (bytes) after full garbage collections. */
export function settledHeapUsed(): number {
  const gc = gcFunction();
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
