/**
 * W7 child process: opens one target over InMemoryTransport, runs a few lifecycles so that every
 * lazily started part is running, lets it settle, then measures its own CPU time (and, on Redis,
 * the commands Redis received and Redis' CPU time) over an idle window with no traffic.
 * Prints one JSON line ({@link IdleReport}) on stdout.
 *
 * Usage: node idleChild.js <target|baseline> <idleMs> [redisUrl]
 */
import { FULL_CONFIG } from './config.js';
import { BenchContext } from './context.js';
import { attachRedis, commandStats, diffStats, redisCpuMs, type RedisInstance } from './redis.js';
import { sleep } from './stats.js';
import type { BenchTarget, TargetKey } from './targets/target.js';

/** What the child reports. */
export interface IdleReport {
  subject: string;
  idleMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Kinds of handles keeping the event loop alive during the window (`process.getActiveResourcesInfo()`). */
  activeResources: string[];
  redisCommands?: number;
  redisCommandNames?: string[];
  redisCpuMs?: number;
  error?: string;
}

const SETTLE_MS = 300;

async function main(): Promise<IdleReport> {
  const [subject = 'baseline', idleArg = '10000', redisUrl] = process.argv.slice(2);
  const idleMs = Number(idleArg);
  const redis: RedisInstance | string = redisUrl ? await attachRedis(redisUrl) : 'Redis unavailable: no URL given';
  const ctx = new BenchContext(FULL_CONFIG);
  ctx.redis = async () => redis;
  let target: BenchTarget | string = 'baseline';
  try {
    if (subject !== 'baseline') {
      target = await ctx.open(subject as TargetKey, 'memory');
      if (typeof target === 'string') return { subject, idleMs, cpuUserMs: NaN, cpuSystemMs: NaN, activeResources: [], error: target };
      for (let i = 0; i < 10; i++) await target.instant('before idle');
    }
    await sleep(SETTLE_MS);
    const admin = typeof redis === 'string' ? undefined : redis.admin;
    const statsBefore = admin ? await commandStats(admin) : undefined;
    const redisCpuBefore = admin ? await redisCpuMs(admin) : undefined;
    const cpuBefore = process.cpuUsage();
    await sleep(idleMs);
    const cpu = process.cpuUsage(cpuBefore);
    const activeResources = process.getActiveResourcesInfo();
    const report: IdleReport = { subject, idleMs, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, activeResources };
    if (admin && statsBefore && redisCpuBefore !== undefined) {
      const delta = diffStats(statsBefore, await commandStats(admin));
      report.redisCommands = [...delta.values()].reduce((sum, s) => sum + s.calls, 0);
      report.redisCommandNames = [...delta.entries()].map(([name, s]) => `${name}×${s.calls}`);
      report.redisCpuMs = (await redisCpuMs(admin)) - redisCpuBefore;
    }
    return report;
  } finally {
    if (typeof target !== 'string') await target.close();
    if (typeof redis !== 'string') await redis.stop();
  }
}

main().then(
  (report) => {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  },
  (err: unknown) => {
    process.stdout.write(`${JSON.stringify({ error: String(err instanceof Error ? err.stack : err) })}\n`);
    process.exitCode = 1;
  },
);
