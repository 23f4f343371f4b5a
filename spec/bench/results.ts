/** The rows a workload reports, and the ratios filled in across rows. */
import type { TargetKey } from './targets/target.js';

/** Which number of a row is its headline (and what the ratio columns compare). */
export type RowKind =
  /** `medianMs` is the headline; ratios are median ÷ the reference's median (lower is better). */
  | 'latency'
  /** `perSecond` is the headline; ratios are throughput ÷ the reference's throughput (higher is better). */
  | 'throughput'
  /** `value` (in `unit`) is the headline; no ratios unless `ratioTo` is set. */
  | 'value';

/** One line of the results table. */
export interface ResultRow {
  workload: string;
  /** What was measured, e.g. `sequential lifecycles`. */
  case: string;
  /** The implementation (`TargetKey`) or another subject, e.g. `redis-benchmark`. */
  subject: TargetKey | string;
  /** Display name of the subject. */
  label: string;
  transport: 'memory' | 'http' | '-';
  kind: RowKind;
  n?: number;
  medianMs?: number;
  p99Ms?: number;
  perSecond?: number;
  value?: number;
  unit?: string;
  /** Filled by {@link fillRatios}: headline ÷ the SDK built-in's headline in the same group. */
  vsSdk?: number;
  /** Filled by {@link fillRatios}: headline ÷ the plain call's headline in the same group. */
  vsPlain?: number;
  /** A ratio reported in place of vsSdk/vsPlain (e.g. "ours ÷ redis-benchmark ceiling"). */
  ratio?: { to: string; value: number };
  /** Why there is no number, or how to read it. */
  note?: string;
  /** A breakdown kept in the JSON only (e.g. Redis calls per command). */
  detail?: Record<string, number>;
}

function headline(row: ResultRow): number | undefined {
  if (row.kind === 'latency') return row.medianMs;
  if (row.kind === 'throughput') return row.perSecond;
  return undefined;
}

/** Fills `vsSdk` / `vsPlain` for latency and throughput rows against the rows of the same workload, case and transport. */
export function fillRatios(rows: ResultRow[]): void {
  const group = (row: ResultRow): string => `${row.workload}\u0000${row.case}\u0000${row.transport}`;
  const refs = new Map<string, { sdk?: number; plain?: number }>();
  for (const row of rows) {
    const value = headline(row);
    if (value === undefined || !Number.isFinite(value)) continue;
    const ref = refs.get(group(row)) ?? {};
    if (row.subject === 'sdk' && ref.sdk === undefined) ref.sdk = value;
    if (row.subject === 'plain' && ref.plain === undefined) ref.plain = value;
    refs.set(group(row), ref);
  }
  for (const row of rows) {
    const value = headline(row);
    const ref = refs.get(group(row));
    if (value === undefined || !Number.isFinite(value) || !ref) continue;
    if (ref.sdk !== undefined && ref.sdk > 0) row.vsSdk = value / ref.sdk;
    if (ref.plain !== undefined && ref.plain > 0) row.vsPlain = value / ref.plain;
  }
}

/** A row for an implementation that could not be measured (e.g. Redis missing). */
export function unavailableRow(base: Omit<ResultRow, 'kind' | 'note'>, reason: string): ResultRow {
  return { ...base, kind: 'value', note: reason };
}
