/** Runs the selected workloads in order and assembles the report. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import type { BenchConfig } from './config.js';
import { BenchContext } from './context.js';
import { machineInfo } from './machine.js';
import type { BenchReport } from './report.js';
import { fillRatios, type ResultRow } from './results.js';
import { runW6 } from './workloads/scale.js';
import { runW5 } from './workloads/redisMix.js';
import { runW3 } from './workloads/delivery.js';
import { runW4 } from './workloads/elicitation.js';
import { runW7 } from './workloads/idle.js';
import { runW1, runW2 } from './workloads/lifecycle.js';
import { runW8 } from './workloads/extension.js';

/** Every workload, by id. */
export const WORKLOADS: Readonly<Record<string, (ctx: BenchContext) => Promise<ResultRow[]>>> = {
  W1: runW1,
  W2: runW2,
  W3: runW3,
  W4: runW4,
  W5: runW5,
  W6: runW6,
  W7: runW7,
  W8: runW8,
};

export const WORKLOAD_IDS = Object.keys(WORKLOADS);

/** The installed SDK's version (its package.json is not exported: walk up from an entry point). */
function sdkVersion(): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/sdk/types.js'));
    for (let i = 0; i < 6; i++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === '@modelcontextprotocol/sdk' && pkg.version) return pkg.version;
      } catch {
        // no package.json at this level
      }
    }
  } catch {
    // not resolvable
  }
  return 'unknown';
}

/** Runs `only` (default: all) workloads with `config`; a workload that throws becomes an error row. */
export async function runSuite(config: BenchConfig, only: readonly string[] = WORKLOAD_IDS, log: (line: string) => void = () => {}): Promise<BenchReport> {
  const ctx = new BenchContext(config, log);
  const startedAt = new Date();
  const rows: ResultRow[] = [];
  const machine = machineInfo(sdkVersion());
  try {
    for (const id of only) {
      const run = WORKLOADS[id];
      if (!run) throw new Error(`unknown workload ${id} (known: ${WORKLOAD_IDS.join(', ')})`);
      log(`${id}…`);
      try {
        rows.push(...(await run(ctx)));
      } catch (err) {
        rows.push({ workload: id, case: 'error', subject: '-', label: '-', transport: '-', kind: 'value', note: `failed: ${String(err instanceof Error ? err.message : err)}` });
        log(`${id} failed: ${String(err instanceof Error ? err.stack : err)}`);
      }
    }
    const redis = await ctx.startedRedis();
    if (redis && typeof redis !== 'string') machine.redisVersion = redis.version;
    machine.loadAverageAfter = loadavg()[0];
  } finally {
    await ctx.close();
  }
  fillRatios(rows);
  return { startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), mode: config.smoke ? 'smoke' : 'full', machine, workloads: [...only], rows };
}
