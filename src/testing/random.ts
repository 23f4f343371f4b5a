/** Seeded pseudo-randomness and random scheduling yields, so that a failing interleaving can be replayed. */
import { setImmediate as nextMacrotask } from 'node:timers/promises';

/** A pseudo-random generator: returns a float in [0, 1). */
export type Random = () => number;

/** Mulberry32: a small, fast, seeded 32-bit generator (not for cryptography). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Derives a per-check seed from the run's seed and the check's name (FNV-1a), so checks replay independently. */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A random integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** Shuffles a copy of `items` (Fisher–Yates). */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Gives way to other work for a random stretch: nothing, a few microtasks, one macrotask turn, or
 * (rarely) a timer turn. Used between the steps of an interleaving.
 */
export async function randomYield(random: Random): Promise<void> {
  const roll = random();
  if (roll < 0.25) return;
  if (roll < 0.7) {
    const turns = 1 + randomInt(random, 6);
    for (let i = 0; i < turns; i++) await Promise.resolve();
    return;
  }
  if (roll < 0.995) {
    await nextMacrotask();
    return;
  }
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}
