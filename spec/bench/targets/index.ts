/** Opens any bench target by key. */
import type { RedisInstance } from '../redis.js';
import type { TransportKind } from '../transports.js';
import { openOursTarget } from './ours.js';
import { openPlainTarget } from './plain.js';
import { openSdkTarget } from './sdk.js';
import type { BenchTarget, Gates, TargetKey } from './target.js';

/** What opening a target may need. */
export interface TargetEnv {
  gates: Gates;
  /** The private Redis, or why there is none. */
  redis(): Promise<RedisInstance | string>;
}

/** Opens `key` over `transport`, or returns why it cannot be measured. */
export async function openTarget(key: TargetKey, transport: TransportKind, env: TargetEnv): Promise<BenchTarget | string> {
  switch (key) {
    case 'plain':
      return openPlainTarget(transport, env.gates);
    case 'sdk':
      return openSdkTarget(transport, env.gates);
    case 'ours-memory':
      return openOursTarget('memory', transport, env);
    case 'ours-redis':
      return openOursTarget('redis', transport, env);
  }
}
