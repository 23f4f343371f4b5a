/**
 * Runs the checks against one server and builds the report.
 */
import { ListToolsResultSchema, type ClientCapabilities, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { finishReport, type Baseline } from './baseline.js';
import { ALL_CHECKS } from './checks/index.js';
import { CheckAbort, CheckContext, CheckSkip, type ServerFacts } from './context.js';
import { describeBound, planTools, roleOf, type ToolChoices } from './discovery/toolPlan.js';
import { FIXTURE_TASK_SUPPORT } from './fixtures.js';
import type { Peer } from './peer.js';
import { ConnectError, openTarget, type OpenTarget, type TargetSpec } from './target.js';
import type { Check } from './check.js';
import { outcomeOf, severityOf, type CheckResult, type FixtureName, type Outcome, type Report, type Severity } from './types.js';

/** A progress event while the suite runs. */
export type ProgressEvent =
  | {
      type: 'connected';
      target: string;
      server?: { name: string; version: string };
      fixtures: string[];
      missingFixtures: string[];
      /** Slots run on a tool that is not their fixture: role → how the report names the tool. */
      standIns: Record<string, string>;
    }
  | { type: 'check-start'; check: Check; index: number; total: number }
  | { type: 'check-end'; result: CheckResult; index: number; total: number };

/** Options of {@link runConformance}. */
export interface RunOptions {
  /** The server to test. */
  target: TargetSpec;
  /** Run only these requirement IDs. */
  only?: string[];
  /** Leave out these requirement IDs. */
  skip?: string[];
  /** Baseline of known failures. */
  baseline?: Baseline;
  /** Called as the run progresses. */
  onProgress?: (event: ProgressEvent) => void;
  /** Time limit of one check (default 15 s). */
  checkTimeoutMs?: number;
  /** Time limit of one request (default 5 s). */
  requestTimeoutMs?: number;
  /** Time limit of connecting (default 10 s). */
  connectTimeoutMs?: number;
  /** The checks to run (default: all). */
  checks?: Check[];
  /** Tools mapped to roles and arguments for the server's own tools (discovery mode, docs/conformance.md). */
  tools?: ToolChoices;
  /** The capabilities the suite's client declares (default {@link DEFAULT_CLIENT_CAPABILITIES}). */
  clientCapabilities?: ClientCapabilities;
}

const SEVERITY_RANK: Record<Severity, number> = { failure: 3, warning: 2, info: 1 };

/**
 * A check's outcome and reasons from its violations (the worst one decides), the parts it could
 * not observe, and its skip reason: with no violation, a skip or an unobserved part is a `skip`.
 */
export function settle(violations: ReadonlyArray<{ severity: Severity; message: string }>, unchecked: readonly string[], skipped?: string): { outcome: Outcome; reasons: string[] } {
  let outcome: Outcome = 'pass';
  let worst = 0;
  for (const v of violations) {
    if (SEVERITY_RANK[v.severity] > worst) {
      worst = SEVERITY_RANK[v.severity];
      outcome = outcomeOf(v.severity);
    }
  }
  const why = skipped ?? (unchecked.length > 0 ? `not fully observable, so not passed: ${unchecked.join('; ')}` : undefined);
  if (why !== undefined && violations.length === 0) return { outcome: 'skip', reasons: [why] };
  return { outcome, reasons: violations.map((v) => `[${v.severity}] ${v.message}`) };
}

async function listTools(peer: Peer, timeoutMs: number): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const outcome = await peer.request('tools/list', cursor ? { cursor } : {}, timeoutMs);
    if (outcome.kind !== 'result') return tools;
    const parsed = ListToolsResultSchema.safeParse(outcome.result);
    if (!parsed.success) return tools;
    tools.push(...(parsed.data.tools as Tool[]));
    cursor = parsed.data.nextCursor;
    if (!cursor) break;
  }
  return tools;
}

/** Gathers capabilities and tools from the main connection, and binds every tool slot. */
export async function gatherFacts(peer: Peer, target: OpenTarget, timeoutMs: number, choices: ToolChoices = {}): Promise<ServerFacts> {
  const capabilities = peer.capabilities;
  const tools = capabilities.tools ? await listTools(peer, timeoutMs) : [];
  const plan = planTools(tools, choices);
  let requestors = target.requestors;
  if (requestors === 'sessions' && target.transport === 'http' && peer.sessionId === undefined) requestors = 'none';
  return {
    capabilities,
    tools,
    bound: plan.bound,
    toolProblems: plan.problems,
    transport: target.transport,
    requestors,
    hasCredentials: target.hasCredentials,
    sessionId: peer.sessionId,
  };
}

/** Why a check cannot run against this server, or undefined when it can. */
export function unmetNeed(check: Check, facts: ServerFacts): string | undefined {
  const needs = check.needs ?? {};
  if (needs.transport === 'http' && facts.transport !== 'http') return 'only applies to Streamable HTTP';
  const tasks = facts.capabilities.tasks;
  for (const cap of needs.capabilities ?? []) {
    const present = cap === 'tools.call' ? tasks?.requests?.tools?.call !== undefined : tasks?.[cap] !== undefined;
    if (!present) return `server does not declare capabilities.tasks.${cap === 'tools.call' ? 'requests.tools.call' : cap}`;
  }
  for (const slot of needs.tools ?? []) {
    const bound = facts.bound.get(slot);
    if (!bound) return facts.toolProblems.get(slot) ?? `fixture ${slot} is absent`;
    if (needs.exact && bound.source !== 'fixture') {
      return `needs the fixture ${slot} itself (the check relies on its contract's arguments and results); ${describeBound(bound)} stands in for it`;
    }
    if (needs.plainCall && bound.taskSupport !== 'optional') {
      return `needs a tool with taskSupport 'optional' to call without a task; ${describeBound(bound)} is task-only: map one with --role ${roleOf(slot)}=TOOL`;
    }
  }
  if (needs.identities === 2 && facts.requestors === 'none') {
    return facts.transport === 'stdio'
      ? 'stdio has a single requestor; no second identity can be made'
      : facts.hasCredentials
        ? 'needs a second credential (--header2) to act as a second requestor'
        : 'no second requestor can be made (no second credential, and the transport has no sessions)';
  }
  return undefined;
}

async function runOne(check: Check, peer: Peer, facts: ServerFacts, target: OpenTarget, options: RunOptions): Promise<CheckResult> {
  const severity = severityOf(check.keyword);
  const started = Date.now();
  const base = { id: check.id, title: check.title, section: check.section, keyword: check.keyword, severity };
  const reason = unmetNeed(check, facts);
  if (reason) {
    return { ...base, outcome: 'skip', tools: [], reasons: [reason], sent: [], expected: [], saw: [], durationMs: 0 };
  }
  const timeoutMs = options.checkTimeoutMs ?? 15_000;
  const ctx = new CheckContext(peer, facts, (identity) => target.open(identity), severity, options.requestTimeoutMs ?? 5000, started + timeoutMs);
  let skipped: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const ran = await Promise.race([check.run(ctx).then(() => 'done' as const), timeout]);
    if (ran === 'timeout') ctx.violation(`the check did not finish within ${timeoutMs} ms`);
  } catch (error) {
    if (error instanceof CheckSkip) skipped = error.message;
    else if (!(error instanceof CheckAbort)) {
      ctx.violation(`the check crashed: ${error instanceof Error ? error.message : String(error)}`);
    }
  } finally {
    clearTimeout(timer);
    await ctx.dispose();
  }
  return {
    ...base,
    ...settle(ctx.violations, ctx.unchecked, skipped),
    tools: [...ctx.toolsUsed],
    sent: ctx.sent,
    expected: ctx.expected,
    saw: ctx.saw,
    durationMs: Date.now() - started,
  };
}

/** Selects the checks by `only` / `skip`; throws on an unknown ID. */
export function selectChecks<C extends { id: string }>(all: C[], only?: string[], skip?: string[]): C[] {
  const known = new Set(all.map((c) => c.id));
  for (const id of [...(only ?? []), ...(skip ?? [])]) {
    if (!known.has(id)) throw new Error(`unknown check ID: ${id} (known: ${[...known].join(', ')})`);
  }
  return all.filter((c) => (!only || only.length === 0 || only.includes(c.id)) && !(skip ?? []).includes(c.id));
}

/**
 * Runs the conformance suite against a server and returns the report.
 * Throws {@link ConnectError} when the server cannot be reached or started.
 */
export async function runConformance(options: RunOptions): Promise<Report> {
  const checks = selectChecks(options.checks ?? ALL_CHECKS, options.only, options.skip);
  const startedAt = new Date();
  const target = openTarget(options.target, options.connectTimeoutMs, options.clientCapabilities);
  const peer = await target.open('A');
  const results: CheckResult[] = [];
  let server: { name: string; version: string } | undefined;
  try {
    const facts = await gatherFacts(peer, target, options.requestTimeoutMs ?? 5000, options.tools);
    const version = peer.client.getServerVersion();
    server = version ? { name: version.name, version: version.version } : undefined;
    options.onProgress?.({
      type: 'connected',
      target: target.description,
      ...(server ? { server } : {}),
      fixtures: [...facts.bound].filter(([, b]) => b.source === 'fixture').map(([slot]) => slot),
      missingFixtures: Object.keys(FIXTURE_TASK_SUPPORT).filter((f) => facts.bound.get(f as FixtureName)?.source !== 'fixture'),
      standIns: Object.fromEntries([...facts.bound].filter(([, b]) => b.source !== 'fixture').map(([slot, b]) => [roleOf(slot), describeBound(b)])),
    });
    for (const [index, check] of checks.entries()) {
      options.onProgress?.({ type: 'check-start', check, index, total: checks.length });
      const result = await runOne(check, peer, facts, target, options);
      results.push(result);
      options.onProgress?.({ type: 'check-end', result, index, total: checks.length });
    }
  } finally {
    await peer.close();
  }
  return finishReport({ target: target.description, transport: target.transport, ...(server ? { server } : {}) }, results, startedAt, options.baseline);
}

export { ConnectError };
