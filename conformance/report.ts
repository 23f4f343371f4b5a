/**
 * Human-readable output: live progress lines, the summary table by section, and the details of
 * every check that did not pass.
 */
import type { ProgressEvent } from './runner.js';
import type { CheckResult, Outcome, Report } from './types.js';

const MARK: Record<Outcome, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', info: 'INFO', skip: 'SKIP' };

/** One line per progress event (undefined for events that print nothing). */
export function formatProgress(event: ProgressEvent): string | undefined {
  switch (event.type) {
    case 'connected': {
      const server = event.server ? ` — ${event.server.name} ${event.server.version}` : '';
      const missing = event.missingFixtures.length ? `; missing fixtures: ${event.missingFixtures.join(', ')}` : '';
      const standIns = Object.entries(event.standIns).map(([role, tool]) => `\n  ${role} runs on ${tool}`).join('');
      return `Connected to ${event.target}${server}; ${event.fixtures.length} fixture tool(s)${missing}${standIns}`;
    }
    case 'check-start':
      return undefined;
    case 'check-end': {
      const r = event.result;
      const n = `${String(event.index + 1).padStart(String(event.total).length)}/${event.total}`;
      const base = r.baseline === 'expected' ? ' (expected by baseline)' : r.baseline === 'stale' ? ' (baseline entry is stale)' : '';
      const why = r.outcome === 'skip' ? ` — ${r.reasons[0] ?? ''}` : '';
      const on = r.tools.some(standsIn) ? ` [on ${r.tools.join(', ')}]` : '';
      return `  [${n}] ${MARK[r.outcome]} ${r.id.padEnd(4)} ${r.title} (${r.durationMs} ms)${on}${base}${why}`;
    }
  }
}

function pad(text: string | number, width: number, right = false): string {
  const s = String(text);
  return right ? s.padStart(width) : s.padEnd(width);
}

/** True for a tool that is not a fixture (the report names those as `name (source, taskSupport …)`). */
function standsIn(tool: string): boolean {
  return tool.includes(' (');
}

function details(r: CheckResult): string[] {
  const lines = [`${MARK[r.outcome]} ${r.id} [${r.keyword}] ${r.title}${r.baseline ? ` (baseline: ${r.baseline})` : ''}`];
  for (const reason of r.reasons) lines.push(`    why:      ${reason}`);
  if (r.tools.length > 0) lines.push(`    on:       ${r.tools.join(', ')}`);
  for (const s of r.sent) lines.push(`    sent:     ${s}`);
  for (const e of r.expected) lines.push(`    expected: ${e}`);
  for (const s of r.saw) lines.push(`    saw:      ${s}`);
  return lines;
}

/** The full text report: table by section, then details of non-passing checks. */
export function formatReport(report: Report, options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  const client = report.side === 'client';
  const who = report.server ? `${report.server.name} ${report.server.version}` : client ? 'unknown client' : 'unknown server';
  lines.push(`MCP tasks (2025-11-25) ${client ? 'client ' : ''}conformance — ${who} ${client ? 'as' : 'at'} ${report.target}`);
  lines.push('');
  const sections = [...new Set(report.results.map((r) => r.section))];
  const width = Math.max(8, ...sections.map((s) => s.length));
  lines.push(`${pad('Section', width)}  ${['pass', 'fail', 'warn', 'info', 'skip'].map((h) => pad(h, 5, true)).join(' ')}  checks`);
  lines.push(`${'-'.repeat(width)}  ${'-'.repeat(29)}  ------`);
  for (const section of sections) {
    const rs = report.results.filter((r) => r.section === section);
    const count = (o: Outcome): number => rs.filter((r) => r.outcome === o).length;
    const ids = rs.map((r) => (r.outcome === 'pass' ? r.id : `${r.id}:${r.outcome}`)).join(' ');
    lines.push(`${pad(section, width)}  ${(['pass', 'fail', 'warn', 'info', 'skip'] as Outcome[]).map((o) => pad(count(o), 5, true)).join(' ')}  ${ids}`);
  }
  const t = report.totals;
  lines.push(`${'-'.repeat(width)}  ${'-'.repeat(29)}`);
  lines.push(`${pad('Total', width)}  ${(['pass', 'fail', 'warn', 'info', 'skip'] as Outcome[]).map((o) => pad(t[o], 5, true)).join(' ')}`);
  const shown = report.results.filter((r) => options.verbose || (r.outcome !== 'pass' && r.outcome !== 'skip') || r.baseline === 'stale');
  if (shown.length > 0) {
    lines.push('');
    for (const r of shown) lines.push(...details(r), '');
  }
  const byTool = new Map<string, string[]>();
  for (const r of report.results) for (const tool of r.tools) byTool.set(tool, [...(byTool.get(tool) ?? []), r.id]);
  if ([...byTool.keys()].some(standsIn)) {
    lines.push('Tools the checks ran on:');
    for (const [tool, ids] of byTool) lines.push(`  ${tool}: ${ids.join(' ')}`);
    lines.push('');
  }
  const skipped = report.results.filter((r) => r.outcome === 'skip');
  if (skipped.length > 0 && !options.verbose) {
    lines.push('Skipped:');
    for (const r of skipped) lines.push(`  ${r.id}: ${r.reasons[0] ?? ''}`);
    lines.push('');
  }
  if (report.staleBaseline.length > 0) lines.push(`Stale baseline entries (these checks now pass; remove them): ${report.staleBaseline.join(', ')}`);
  const expected = report.results.filter((r) => r.baseline === 'expected').map((r) => r.id);
  if (expected.length > 0) lines.push(`Known failures listed in the baseline: ${expected.join(', ')}`);
  lines.push(
    report.unexpectedFailures.length > 0
      ? `RESULT: FAIL — MUST check(s) failed: ${report.unexpectedFailures.join(', ')} (${report.durationMs} ms)`
      : `RESULT: OK — no MUST check failed outside the baseline (${report.durationMs} ms)`,
  );
  return `${lines.join('\n')}\n`;
}

/** The machine-readable report (what `--json` writes). */
export function reportToJson(report: Report | Report[]): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
