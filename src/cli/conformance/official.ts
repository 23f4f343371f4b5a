/**
 * The official suite's part of `mcp-tasks conformance`: its nine 2026-07-28 `tasks-*` scenarios
 * (see conformance/official/officialSuite.ts), three at a time, one line per scenario.
 */
import {
  judge,
  locateOfficialSuite,
  runOfficialScenarios,
  scenarioPassed,
  type OfficialScenarioRun,
} from '../../../conformance/official/officialSuite.js';

/** What the official part found. */
export interface OfficialOutcome {
  /** Why it could not run (the devDependencies are missing), if so. */
  skipped?: string;
  runs: OfficialScenarioRun[];
  /** Failures outside the baseline's official entries, one line each. */
  unexpected: string[];
  /** Baseline entries that now pass. */
  stale: string[];
  ok: boolean;
}

/** Runs the scenarios against `url`, reporting each as it ends on `progress`; `expected`: the baseline's official entries. */
export async function runOfficialTasks(url: string, progress: (line: string) => void, expected: readonly string[] = []): Promise<OfficialOutcome> {
  const location = locateOfficialSuite();
  if ('missing' in location) return { skipped: location.missing, runs: [], unexpected: [], stale: [], ok: true };
  const runs = await runOfficialScenarios(url, { location, onRun: (run) => progress(scenarioLine(run)) });
  const judged = runs.map((run) => judge(run, expected));
  const unexpected = judged.flatMap((j) => j.unexpected);
  const stale = judged.flatMap((j) => j.stale);
  return { runs, unexpected, stale, ok: unexpected.length === 0 && stale.length === 0 };
}

/** One scenario as one line. */
export function scenarioLine(run: OfficialScenarioRun): string {
  const passed = run.checks.filter((check) => check.status === 'SUCCESS').length;
  const mark = scenarioPassed(run) ? 'PASS' : 'FAIL';
  return `  ${mark}  ${run.scenario.padEnd(30)} ${passed}/${run.checks.length} checks`;
}

/** The report of the official part: one line per scenario, then its failures. */
export function formatOfficial(outcome: OfficialOutcome): string {
  if (outcome.skipped !== undefined) return `Official suite: skipped (${outcome.skipped})\n`;
  const lines = ['Official suite @modelcontextprotocol/conformance 0.2.0-alpha.12, 2026-07-28 tasks extension:', ...outcome.runs.map(scenarioLine)];
  if (outcome.unexpected.length > 0) lines.push('', 'Failed (not in the baseline):', ...outcome.unexpected.map((line) => `  ${line}`));
  if (outcome.stale.length > 0) lines.push('', 'Stale baseline entries (they pass now):', ...outcome.stale.map((entry) => `  ${entry}`));
  return `${lines.join('\n')}\n`;
}

/** The official part's summary line. */
export function officialSummary(outcome: OfficialOutcome): string {
  if (outcome.skipped !== undefined) return '2026-07-28 (official suite): skipped, not installed';
  const checks = outcome.runs.reduce((n, run) => n + run.checks.length, 0);
  const passed = outcome.runs.filter(scenarioPassed).length;
  return `2026-07-28 (official suite, tasks extension): ${passed}/${outcome.runs.length} scenarios passed, ${checks} checks`;
}
