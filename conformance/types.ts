/**
 * Types shared by the conformance suite: checks, their results, and the report.
 */
/** The RFC 2119 keyword a requirement uses, as docs/requirements.md gives it. */
export type Keyword = 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY' | 'schema' | 'stmt';

/**
 * How much a violated check weighs: MUST / MUST NOT (and schema / normative statements) are
 * failures, SHOULD / SHOULD NOT are warnings, MAY is informational.
 */
export type Severity = 'failure' | 'warning' | 'info';

/** What happened when a check ran. */
export type Outcome = 'pass' | 'fail' | 'warn' | 'info' | 'skip';

/** The fixture tools of the fixture contract (docs/conformance.md), by name. */
export type FixtureName =
  | 'tasks_conformance_optional'
  | 'tasks_conformance_required'
  | 'tasks_conformance_forbidden'
  | 'tasks_conformance_tool_error'
  | 'tasks_conformance_protocol_error'
  | 'tasks_conformance_elicit'
  | 'tasks_conformance_sample'
  | 'tasks_conformance_progress'
  | 'tasks_conformance_hold'
  | 'tasks_conformance_stubborn';

/** A server capability a check depends on (under `capabilities.tasks`). */
export type TaskCapability = 'tools.call' | 'list' | 'cancel';

/** What a check needs before it can run; a missing need makes it `skip`, never `pass`. */
export interface CheckNeeds {
  /**
   * Tool slots the check calls: each runs on its fixture, else on a tool mapped to its role, else
   * (optional, required, forbidden) on a server tool found by its `taskSupport`.
   */
  tools?: FixtureName[];
  /** Only the fixtures themselves will do: the check relies on their contract's arguments and results. */
  exact?: boolean;
  /** The optional slot must take plain calls too (`taskSupport: 'optional'`, not a task-only stand-in). */
  plainCall?: boolean;
  /** Task capabilities the server must declare. */
  capabilities?: TaskCapability[];
  /** Only meaningful over this transport. */
  transport?: 'http';
  /** Needs a second requestor (a second credential, or a second session where tasks are session-scoped). */
  identities?: 2;
}

/** The result of one check. */
export interface CheckResult {
  id: string;
  title: string;
  section: string;
  keyword: Keyword;
  severity: Severity;
  outcome: Outcome;
  /** The tools the check called: fixture names, or e.g. `echo (discovered, taskSupport forbidden)`. */
  tools: string[];
  /** Why it was skipped, or the violations that made it not pass. */
  reasons: string[];
  sent: string[];
  expected: string[];
  saw: string[];
  durationMs: number;
  /** Set when a baseline lists this check. */
  baseline?: 'expected' | 'stale';
}

/** Everything one run of the suite found. */
export interface Report {
  /** What was tested, e.g. `http://127.0.0.1:3000/mcp (Streamable HTTP)`. */
  target: string;
  /** `client` for client conformance (then `server` holds the client's `clientInfo`); absent for a server. */
  side?: 'client';
  /** `http`, `stdio` or `memory`. */
  transport: string;
  server?: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  results: CheckResult[];
  /** Counts by outcome. */
  totals: Record<Outcome, number>;
  /** Failures (MUST checks) that no baseline excuses. */
  unexpectedFailures: string[];
  /** Baseline entries whose check now passes. */
  staleBaseline: string[];
}

/** Maps a keyword to the weight of a violation. */
export function severityOf(keyword: Keyword): Severity {
  switch (keyword) {
    case 'SHOULD':
    case 'SHOULD NOT':
      return 'warning';
    case 'MAY':
      return 'info';
    default:
      return 'failure';
  }
}

/** The outcome a violation of the given severity gives. */
export function outcomeOf(severity: Severity): Outcome {
  return severity === 'failure' ? 'fail' : severity === 'warning' ? 'warn' : 'info';
}
