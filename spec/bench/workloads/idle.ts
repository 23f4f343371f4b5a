/**
 * W7: idle cost. Each implementation runs in its own child process (so nothing else in the bench
 * disturbs it), handles a few lifecycles, then sits with no traffic for the idle window; all
 * children idle at the same time. Reports the CPU time each used, and on Redis the commands Redis
 * received meanwhile. `baseline` is a Node process that only sleeps.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../context.js';
import type { IdleReport } from '../idleChild.js';
import { unavailableRow, type ResultRow } from '../results.js';
import { TARGET_LABELS, type TargetKey } from '../targets/target.js';

const SUBJECTS: readonly (TargetKey | 'baseline')[] = ['baseline', 'plain', 'sdk', 'ours-memory', 'ours-redis'];

function runChild(subject: string, idleMs: number, redisUrl: string | undefined): Promise<IdleReport> {
  const script = fileURLToPath(new URL('../idleChild.js', import.meta.url));
  const args = [script, subject, String(idleMs), ...(redisUrl ? [redisUrl] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      const line = out.trim().split(/\r?\n/).pop() ?? '';
      try {
        resolve(JSON.parse(line) as IdleReport);
      } catch {
        resolve({ subject, idleMs, cpuUserMs: NaN, cpuSystemMs: NaN, activeResources: [], error: `child exited ${code}: ${(err || out).slice(-300)}` });
      }
    });
  });
}

export async function runW7(ctx: BenchContext): Promise<ResultRow[]> {
  const { idleMs } = ctx.config.w7;
  const redis = await ctx.redis();
  const redisUrl = typeof redis === 'string' ? undefined : redis.url;
  const reports = await Promise.all(
    SUBJECTS.map((subject) => {
      if (subject === 'ours-redis' && !redisUrl) {
        return Promise.resolve<IdleReport>({ subject, idleMs, cpuUserMs: NaN, cpuSystemMs: NaN, activeResources: [], error: String(redis) });
      }
      return runChild(subject, idleMs, subject === 'ours-redis' ? redisUrl : undefined);
    }),
  );
  const rows: ResultRow[] = [];
  const seconds = idleMs / 1000;
  for (const [i, report] of reports.entries()) {
    const subject = SUBJECTS[i] as string;
    const label = subject === 'baseline' ? 'baseline (Node process, no server)' : TARGET_LABELS[subject as TargetKey];
    const base = { workload: 'W7', case: `idle CPU over ${seconds} s`, subject, label, transport: 'memory' } as const;
    if (report.error !== undefined) {
      rows.push(unavailableRow(base, report.error));
      continue;
    }
    const cpuMs = report.cpuUserMs + report.cpuSystemMs;
    rows.push({ ...base, kind: 'value', value: cpuMs, unit: 'ms CPU', note: `handles: ${report.activeResources.join(', ') || 'none'}` });
    if (report.redisCommands !== undefined) {
      rows.push({
        ...base,
        case: `Redis commands over ${seconds} s idle`,
        kind: 'value',
        value: report.redisCommands,
        unit: 'commands',
        note: `${(report.redisCommandNames ?? []).join(' ') || 'none'}; Redis CPU ${report.redisCpuMs?.toFixed(1)} ms`,
      });
    }
    ctx.log(`W7 ${subject}: ${cpuMs.toFixed(1)} ms CPU`);
  }
  return rows;
}
