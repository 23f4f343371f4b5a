/** One run of the suite against server-everything with its recorded baseline, and what every such run must show. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatReport, parseBaseline, runConformance, type Report, type TargetSpec } from '../../../conformance/index.js';
import { EVERYTHING } from './everything.js';

/** The recorded baseline of the installed version. */
export const EVERYTHING_BASELINE = new URL(`../../../../conformance/baselines/server-everything-${EVERYTHING.version}.yaml`, import.meta.url);

/** Runs every check, with the baseline. */
export function runOnEverything(target: TargetSpec): Promise<Report> {
  return runConformance({ target, baseline: parseBaseline(readFileSync(EVERYTHING_BASELINE, 'utf8')), checkTimeoutMs: 15_000 });
}

/** R13, R55 and R70 fail (R55 with a clear message), at least `atLeast` checks run, the baseline holds exactly. */
export function assertEverythingReport(report: Report, atLeast: number): void {
  const text = formatReport(report);
  const outcome = (id: string) => report.results.find((r) => r.id === id)!;
  for (const id of ['R13', 'R55', 'R70']) assert.equal(outcome(id).outcome, 'fail', `${id}\n${text}`);
  assert.match(outcome('R13').reasons.join(' '), /isError:true instead of JSON-RPC error -32601/);
  assert.match(outcome('R55').reasons.join(' '), /tasks\/get with related-task _meta got no answer/);
  assert.match(outcome('R70').reasons.join(' '), /did not give -32602/);
  const ran = report.results.filter((r) => r.outcome !== 'skip');
  assert.ok(ran.length >= atLeast, `${ran.length} checks ran (at least ${atLeast} expected)\n${text}`);
  for (const r of ran) {
    if (r.tools.length > 0) assert.ok(r.tools.every((t) => /\((discovered|role), taskSupport /.test(t)), `${r.id} names its tools: ${r.tools.join(', ')}`);
  }
  assert.deepEqual(report.unexpectedFailures, [], text);
  assert.deepEqual(report.staleBaseline, [], text);
}
