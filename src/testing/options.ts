/** Options of the contract test kit, and their defaults. */

/** Tunes how hard and how long the contract kit exercises an implementation. */
export interface ContractOptions {
  /**
   * How many randomized interleavings each wake-up race check runs (read version → change / wait,
   * wait / enqueue, wait / publish). Default 10,000; lower it for a networked backend.
   */
  interleavings?: number;
  /** How many concurrent waiters, producers or request ids the "many at once" checks use. Default 25. */
  concurrency?: number;
  /**
   * Seed of the pseudo-random generator behind the interleavings. Default: the environment variable
   * `MCP_TASKS_CONTRACT_SEED` if set, else random. Every race check prints the seed it used, and a
   * failure message repeats it: re-run with that seed to replay the same schedule.
   */
  seed?: number;
  /** Time limit of each test (node:test `timeout`), in ms. Default 60,000. */
  timeoutMs?: number;
  /**
   * How long a single wait may take before the kit declares a hang and fails the test (instead of
   * hanging the run), in ms. Default 5,000.
   */
  hangTimeoutMs?: number;
  /** The short `ttl` (ms) given to tasks that the expiry checks let expire. Default 100. */
  shortTtlMs?: number;
  /**
   * How far the store's clock may be from this process's clock when the kit checks `createdAt` /
   * `lastUpdatedAt` against the time of the call, in ms. Default 1,000.
   */
  clockToleranceMs?: number;
  /** How many task ids the id-entropy check samples. Default 1,000. */
  idSamples?: number;
}

/** {@link ContractOptions} with every default filled in. */
export type ResolvedContractOptions = Readonly<Required<ContractOptions>>;

const SEED_VARIABLE = 'MCP_TASKS_CONTRACT_SEED';

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`ContractOptions.${name} must be an integer ≥ ${min}`);
  return value;
}

function defaultSeed(): number {
  const fromEnv = process.env[SEED_VARIABLE];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const seed = Number(fromEnv);
    if (!Number.isSafeInteger(seed)) throw new RangeError(`${SEED_VARIABLE} must be an integer`);
    return seed >>> 0;
  }
  return Math.floor(Math.random() * 0x1_0000_0000);
}

/** Fills in the defaults and checks the values; throws `RangeError` on a bad option. */
export function resolveContractOptions(options: ContractOptions = {}): ResolvedContractOptions {
  return Object.freeze({
    interleavings: positiveInteger('interleavings', options.interleavings, 10_000),
    concurrency: positiveInteger('concurrency', options.concurrency, 25, 2),
    seed: options.seed === undefined ? defaultSeed() : positiveInteger('seed', options.seed, 0, 0) >>> 0,
    timeoutMs: positiveInteger('timeoutMs', options.timeoutMs, 60_000),
    hangTimeoutMs: positiveInteger('hangTimeoutMs', options.hangTimeoutMs, 5_000),
    shortTtlMs: positiveInteger('shortTtlMs', options.shortTtlMs, 100),
    clockToleranceMs: positiveInteger('clockToleranceMs', options.clockToleranceMs, 1_000, 0),
    idSamples: positiveInteger('idSamples', options.idSamples, 1_000, 100),
  });
}
