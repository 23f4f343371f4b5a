/**
 * Baselines of known failures, in YAML (parsed with the `yaml` package):
 *
 * ```yaml
 * # comment
 * recorded: "2026-12-04"               # top-level scalars are informational
 * expected-failures:                   # this suite: check ID → the outcome seen when recorded
 *   R13: fail                          # fail, warn, info, or empty (any)
 *   R10: warn
 * server:                              # the official suite's list (@modelcontextprotocol/conformance
 *   - tasks-lifecycle                  # --expected-failures): a scenario, or scenario:check; an ID
 *   - tasks-mrtr-input:tasks-mrtr-partial-fulfillment   # of this suite (R57) listed here counts too
 * ```
 *
 * `expected-failures` may also be a list of IDs. So one file serves both tools. A listed check that
 * does not pass is "expected" and does not fail the run; a listed check that now passes is stale.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { CheckResult, Outcome, Report } from './types.js';

/** A parsed baseline. */
export interface Baseline {
  /** Top-level scalar keys (e.g. `recorded`). */
  meta: Record<string, string>;
  /** Check ID → the outcome recorded (`fail`, `warn`, `info` or `any`). */
  expected: Map<string, string>;
  /** The official suite's entries (`scenario` or `scenario:check`), from the `server` list. */
  official: string[];
}

/** A baseline file that cannot be read. */
export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

const OUTCOMES = new Set(['fail', 'warn', 'info', 'any']);
const CHECK_ID = /^[A-Z]+[0-9]+$/;

/** Parses a baseline; throws {@link BaselineError} with the line number on anything it cannot take. */
export function parseBaseline(text: string): Baseline {
  const tabbed = text.split(/\r?\n/).findIndex((line) => /^ *\t/.test(line));
  if (tabbed !== -1) throw new BaselineError(`line ${tabbed + 1}: tabs are not allowed for indentation`);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const [error] = doc.errors;
  if (error !== undefined) throw new BaselineError(`line ${error.linePos?.[0].line ?? 1}: ${error.message.split('\n')[0]}`);
  const fail = (node: Node | null | undefined, message: string): never => {
    throw new BaselineError(`line ${node?.range ? lines.linePos(node.range[0]).line : 1}: ${message}`);
  };
  const baseline: Baseline = { meta: {}, expected: new Map(), official: [] };
  const expect = (node: Node, id: string, outcome: string): void => {
    if (!CHECK_ID.test(id)) fail(node, `'${id}' is not a requirement ID`);
    if (!OUTCOMES.has(outcome)) fail(node, `outcome '${outcome}' is not one of fail, warn, info, any`);
    if (baseline.expected.has(id)) fail(node, `${id} is listed twice`);
    baseline.expected.set(id, outcome);
  };
  const root = doc.contents;
  if (root === null) return baseline;
  if (!isMap(root)) return fail(root, "expected 'key: value' lines");
  for (const { key, value } of root.items) {
    const name = isScalar(key) ? String(key.value) : fail(key as Node, 'keys must be plain words');
    const node = value as Node | null;
    if (name === 'expected-failures') {
      if (node === null || (isScalar(node) && node.value === null)) continue;
      if (isMap(node)) {
        for (const item of node.items) {
          const id = isScalar(item.key) ? String(item.key.value) : fail(item.key as Node, "expected 'ID: outcome'");
          const outcome = item.value === null || (isScalar(item.value) && item.value.value === null) ? 'any' : isScalar(item.value) ? String(item.value.value) : fail(item.value as Node, `${id}: the outcome must be a word`);
          expect(item.key as Node, id, outcome);
        }
      } else if (isSeq(node)) {
        for (const item of node.items) expect(item as Node, isScalar(item) ? String(item.value) : fail(item as Node, 'a list item must be an ID'), 'any');
      } else {
        fail(node, 'expected-failures takes a mapping (ID: outcome) or a list of IDs');
      }
    } else if ((name === 'server' || name === 'client') && isSeq(node)) {
      for (const item of node.items) {
        const entry = isScalar(item) ? String(item.value) : fail(item as Node, `a ${name} entry must be a scenario name`);
        if (name === 'server' && CHECK_ID.test(entry)) expect(item as Node, entry, 'any');
        else if (name === 'server') baseline.official.push(entry);
      }
    } else if (CHECK_ID.test(name)) {
      fail(key as Node, `${name} is a check ID: list it under expected-failures`);
    } else if (node === null || isScalar(node)) {
      baseline.meta[name] = node === null || node.value === null ? '' : String(node.value);
    } else {
      fail(node, `${name} takes a single value`);
    }
  }
  return baseline;
}

/** Writes a baseline listing every check of the report that did not pass (or skip). */
export function formatBaseline(report: Report, meta: Record<string, string> = {}): string {
  const lines = ['# Known conformance failures (mcp-tasks conformance --expected-failures <this file>).'];
  for (const [key, value] of Object.entries(meta)) lines.push(`${key}: ${JSON.stringify(value)}`);
  lines.push('expected-failures:');
  const failing = report.results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn' || r.outcome === 'info');
  if (failing.length === 0) lines[lines.length - 1] = 'expected-failures: {}';
  for (const r of failing) {
    const why = (r.reasons[0] ?? r.title).replace(/^\[\w+\]\s*/, '').replace(/\s+/g, ' ');
    lines.push(`  ${r.id}: ${r.outcome}   # ${why.length > 150 ? `${why.slice(0, 150)}…` : why}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Fills the report's totals, baseline marks, unexpected failures (MUST checks that failed and are
 * not listed) and stale entries (listed checks that now pass).
 */
export function applyBaseline(report: Report, baseline?: Baseline): void {
  report.totals = { pass: 0, fail: 0, warn: 0, info: 0, skip: 0 };
  report.unexpectedFailures = [];
  report.staleBaseline = [];
  for (const result of report.results) {
    report.totals[result.outcome as Outcome]++;
    const listed = baseline?.expected.has(result.id) ?? false;
    if (listed) {
      if (result.outcome === 'pass') {
        result.baseline = 'stale';
        report.staleBaseline.push(result.id);
      } else if (result.outcome !== 'skip') {
        result.baseline = 'expected';
      }
    }
    if (result.outcome === 'fail' && !listed) report.unexpectedFailures.push(result.id);
  }
}

/** The report of a run: its head (what was tested), its results, and the totals and baseline marks filled in. */
export function finishReport(head: Pick<Report, 'target' | 'transport' | 'server' | 'side'>, results: CheckResult[], startedAt: Date, baseline?: Baseline): Report {
  const report: Report = {
    ...head,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    results,
    totals: { pass: 0, fail: 0, warn: 0, info: 0, skip: 0 },
    unexpectedFailures: [],
    staleBaseline: [],
  };
  applyBaseline(report, baseline);
  return report;
}
