/** The results table (text) and the JSON document of a run. */
import type { MachineInfo } from './machine.js';
import type { ResultRow } from './results.js';

/** Everything one run produced. */
export interface BenchReport {
  startedAt: string;
  durationMs: number;
  mode: 'full' | 'smoke';
  machine: MachineInfo;
  workloads: string[];
  rows: ResultRow[];
}

function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 1) return `${value.toFixed(2)} ms`;
  return `${(value * 1000).toFixed(0)} µs`;
}

function num(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function ratio(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  if (value >= 100) return `${value.toFixed(0)}×`;
  if (value >= 0.1) return `${value.toFixed(2)}×`;
  return `${value.toPrecision(2)}×`;
}

/** The headline number of a row with its unit. */
function amount(row: ResultRow): string {
  if (row.kind === 'throughput') return `${num(row.perSecond)}/s`;
  if (row.kind === 'latency') return row.perSecond !== undefined ? `${num(row.perSecond)}/s` : '';
  return row.value === undefined ? '' : `${num(row.value)} ${row.unit ?? ''}`.trim();
}

/** The column cells of a row. */
function cells(row: ResultRow): string[] {
  const other = row.ratio ? `${ratio(row.ratio.value)} ${row.ratio.to}` : '';
  return [
    row.workload,
    row.case,
    row.label,
    row.transport,
    row.n === undefined ? '' : String(row.n),
    ms(row.medianMs),
    ms(row.p99Ms),
    amount(row),
    ratio(row.vsSdk),
    ratio(row.vsPlain),
    [other, row.note ?? ''].filter(Boolean).join('; '),
  ];
}

const HEADER = ['W', 'case', 'implementation', 'transport', 'n', 'median', 'p99', 'rate / value', 'vs SDK', 'vs plain', 'notes'];

/** A one-line description of the machine. */
export function machineLine(machine: MachineInfo): string {
  const redis = machine.redisVersion ? `, Redis ${machine.redisVersion}` : '';
  const after = machine.loadAverageAfter === undefined ? '' : ` → ${machine.loadAverageAfter.toFixed(1)}`;
  return `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.platform}, Node ${machine.node}, @modelcontextprotocol/sdk ${machine.sdkVersion}${redis}; load average ${machine.loadAverageBefore.toFixed(1)}${after}`;
}

/** A plain-text table for the terminal. */
export function textTable(report: BenchReport): string {
  const body = report.rows.map(cells);
  const widths = HEADER.map((h, i) => Math.min(i === 10 ? 80 : 60, Math.max(h.length, ...body.map((r) => (r[i] ?? '').length))));
  const line = (r: string[]): string => r.map((c, i) => (c.length > (widths[i] ?? 0) ? `${c.slice(0, (widths[i] ?? 1) - 1)}…` : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [
    `mcp-tasks bench (${report.mode}) — ${machineLine(report.machine)}`,
    `ratios: latency rows = median ÷ reference median (lower is better); throughput rows = rate ÷ reference rate (higher is better)`,
    '',
    line(HEADER),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}

/** A Markdown table (for docs/bench.md and the README). */
export function markdownTable(report: BenchReport): string {
  return `${summaryTable(report)}\n\nAll rows:\n\n${fullMarkdownTable(report)}`;
}

/** Every row as a Markdown table. */
export function fullMarkdownTable(report: BenchReport): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  return [
    `Machine: ${machineLine(report.machine)}. Mode: ${report.mode}; run ${report.startedAt}, ${Math.round(report.durationMs / 1000)} s.`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => '---').join('|')}|`,
    ...report.rows.map((row) => `| ${cells(row).map(esc).join(' | ')} |`),
  ].join('\n');
}

/** One cell of the summary: a row's headline (with unit) or its reason for having none. */
function headlineCell(row: ResultRow | undefined): string {
  if (!row) return '–';
  if (row.kind === 'latency') return ms(row.medianMs) || (row.note ? 'n/a' : '–');
  if (row.kind === 'throughput') return finiteOr(row.perSecond, (v) => `${num(v)}/s`) || 'n/a';
  return finiteOr(row.value, (v) => `${num(v)} ${row.unit ?? ''}`.trim()) || (row.note ? 'n/a' : '–');
}

function finiteOr(value: number | undefined, show: (v: number) => string): string {
  return value === undefined || !Number.isFinite(value) ? '' : show(value);
}

const SUMMARY_SUBJECTS = ['ours-memory', 'ours-redis', 'sdk', 'plain'] as const;

/**
 * A compact Markdown table for the README: one line per workload, metric and transport, one column
 * per implementation (headline numbers only; the full table has p99, ratios and notes).
 */
export function summaryTable(report: BenchReport): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const row of report.rows) {
    if (row.subject === 'redis-benchmark' && row.kind === 'throughput') {
      lines.push(`| ${row.workload} | ${row.case} (rate), redis-benchmark alone on the same command mix | ${row.transport} | – | ${headlineCell(row)} | – | – |`);
      continue;
    }
    if (row.subject === 'baseline') {
      lines.push(`| ${row.workload} | ${row.case}: a Node process that only sleeps uses ${headlineCell(row)} | ${row.transport} | – | – | – | – |`);
      continue;
    }
    if (!(SUMMARY_SUBJECTS as readonly string[]).includes(row.subject) || row.label.includes('client handle') || row.label.includes('callToolStream')) continue;
    const key = `${row.workload}\u0000${row.case}\u0000${row.transport}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const metric = row.kind === 'throughput' ? `${row.case} (rate)` : row.kind === 'latency' ? `${row.case} (median)` : row.case;
    const cells = SUMMARY_SUBJECTS.map((subject) => {
      const match = report.rows.filter((r) => r.workload === row.workload && r.case === row.case && r.transport === row.transport && r.subject === subject);
      const preferred = match.find((r) => !r.label.includes('callToolStream') && !r.label.includes('client handle')) ?? match[0];
      return headlineCell(preferred);
    });
    if (cells.every((c) => c === '–')) continue;
    lines.push(`| ${row.workload} | ${metric.replace(/\|/g, '\\|')} | ${row.transport} | ${cells.join(' | ')} |`);
  }
  return [
    `Machine: ${machineLine(report.machine)}.`,
    '',
    '| W | metric | transport | ours (in memory) | ours (Redis) | SDK built-in | plain tools/call |',
    '|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}
