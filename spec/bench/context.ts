/** What every workload receives: its configuration, the shared gates, a lazily started Redis, a logger. */
import type { BenchConfig } from './config.js';
import { startRedis, type RedisInstance } from './redis.js';
import { openTarget, type TargetEnv } from './targets/index.js';
import { Gates, type BenchTarget, type TargetKey } from './targets/target.js';
import type { TransportKind } from './transports.js';

/** The note of a row whose measurement threw. */
export function failure(err: unknown): string {
  return `failed: ${err instanceof Error ? err.message : String(err)}`;
}

export class BenchContext implements TargetEnv {
  readonly gates = new Gates();
  #redis: Promise<RedisInstance | string> | undefined;

  constructor(
    readonly config: BenchConfig,
    readonly log: (line: string) => void = () => {},
  ) {}

  /** The private Redis (started on first use and shared), or why there is none. */
  redis(): Promise<RedisInstance | string> {
    this.#redis ??= startRedis();
    return this.#redis;
  }

  /** The Redis if a workload started one (never starts it). */
  startedRedis(): Promise<RedisInstance | string> | undefined {
    return this.#redis;
  }

  /** Opens a target, or returns why it cannot be measured. */
  open(key: TargetKey, transport: TransportKind): Promise<BenchTarget | string> {
    return openTarget(key, transport, this);
  }

  /**
   * Runs `body` with a freshly opened target and always closes it. Returns a reason string instead
   * when the target cannot be opened, or `failed: …` when the body throws (so one broken
   * implementation does not hide the others' numbers).
   */
  async with<T>(key: TargetKey, transport: TransportKind, body: (target: BenchTarget) => Promise<T>): Promise<T | string> {
    let target: BenchTarget | string;
    try {
      target = await this.open(key, transport);
    } catch (err) {
      return failure(err);
    }
    if (typeof target === 'string') return target;
    try {
      return await body(target);
    } catch (err) {
      this.log(`${key} over ${transport} failed: ${err instanceof Error ? err.stack : String(err)}`);
      return failure(err);
    } finally {
      this.gates.openAll();
      await target.close().catch((err: unknown) => this.log(`closing ${key} failed: ${String(err)}`));
    }
  }

  /** Stops the Redis if one was started. */
  async close(): Promise<void> {
    const redis = await this.#redis;
    if (redis && typeof redis !== 'string') await redis.stop();
  }
}
