/**
 * Baselines of known failures, in a small YAML subset:
 *
 * ```yaml
 * # comment
 * server: sdk-1.32.2-builtin          # top-level `key: value` scalars (informational)
 * expected-failures:
 *   R13: fail                         # ID: the outcome seen when the baseline was recorded
 *   R10: warn   # F1: ...             # trailing comments are allowed
 *   - R57                             # or a list item: ID only
 * ```
 *
 * Values may be quoted with single quotes or double quotes (in which a backslash escapes the next character). A listed check that does not pass is
 * "expected" and does not fail the run; a listed check that now passes is reported as stale.
 */
import type { Outcome, Report } from './types.js';

/** A parsed baseline. */
export interface Baseline {
  /** Top-level scalar keys (e.g. `server`). */
  meta: Record<string, string>;
  /** Check ID → the outcome recorded (`fail`, `warn`, `info` or `any`). */
  expected: Map<string, string>;
}

/** A baseline file that is not in the supported YAML subset. */
export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

function unquote(value: string, lineNo: number): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  if (v.startsWith('"') || v.startsWith("'")) throw new BaselineError(`line ${lineNo}: unterminated quote`);
  return v;
}

const OUTCOMES = new Set(['fail', 'warn', 'info', 'any']);

/** Parses a baseline; throws {@link BaselineError} with the line number on anything outside the subset. */
export function parseBaseline(text: string): Baseline {
  const baseline: Baseline = { meta: {}, expected: new Map() };
  let section: 'top' | 'expected' = 'top';
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const lineNo = i + 1;
    const line = stripComment(raw).replace(/\s+$/, '');
    if (line.trim() === '') continue;
    if (raw.includes('\t')) throw new BaselineError(`line ${lineNo}: tabs are not allowed`);
    const indented = /^\s/.test(line);
    const body = line.trim();
    if (!indented) {
      const m = /^([A-Za-z0-9_-]+):(.*)$/.exec(body);
      if (!m) throw new BaselineError(`line ${lineNo}: expected 'key: value' or 'expected-failures:'`);
      const key = m[1]!;
      const value = m[2]!.trim();
      if (key === 'expected-failures') {
        if (value !== '' && value !== '{}' && value !== '[]') throw new BaselineError(`line ${lineNo}: expected-failures takes an indented block`);
        section = 'expected';
      } else {
        baseline.meta[key] = unquote(value, lineNo);
        section = 'top';
      }
      continue;
    }
    if (section !== 'expected') throw new BaselineError(`line ${lineNo}: unexpected indentation`);
    let id: string;
    let outcome = 'any';
    const item = /^-\s+(.+)$/.exec(body);
    if (item) {
      id = unquote(item[1]!, lineNo);
    } else {
      const m = /^([^:]+):(.*)$/.exec(body);
      if (!m) throw new BaselineError(`line ${lineNo}: expected 'ID: outcome' or '- ID'`);
      id = unquote(m[1]!, lineNo);
      outcome = unquote(m[2]!, lineNo) || 'any';
    }
    if (!/^[A-Z]+[0-9]+$/.test(id)) throw new BaselineError(`line ${lineNo}: '${id}' is not a requirement ID`);
    if (!OUTCOMES.has(outcome)) throw new BaselineError(`line ${lineNo}: outcome '${outcome}' is not one of fail, warn, info, any`);
    if (baseline.expected.has(id)) throw new BaselineError(`line ${lineNo}: ${id} is listed twice`);
    baseline.expected.set(id, outcome);
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
