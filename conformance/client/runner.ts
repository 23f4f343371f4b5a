/**
 * Runs client conformance: for each scenario the selected checks read, starts the scripted server,
 * lets the client under test do the scenario, then reads the trace. The client is a command (the
 * official suite's convention: the server's URL as its last argument, `MCP_CONFORMANCE_SCENARIO`
 * and `MCP_CONFORMANCE_CONTEXT` in its environment), a function in this process, or anything that
 * connects to the printed URL (`listen`).
 */
import { spawn } from 'node:child_process';
import { finishReport, type Baseline } from '../baseline.js';
import { selectChecks, settle } from '../runner.js';
import { severityOf, type CheckResult, type Report } from '../types.js';
import type { ClientCheck } from './check.js';
import { CLIENT_CHECKS } from './checks/index.js';
import { ClientCheckContext } from './context.js';
import { CheckSkip } from '../recorder.js';
import { startScriptedHost } from './host.js';
import { SCENARIOS, type Scenario, type ScenarioName } from './scenarios.js';
import { ClientTrace, type DriverEnd } from './trace.js';

/** What a driver is told: where the server is, which scenario, what to call. */
export interface ScenarioRun {
  url: string;
  scenario: ScenarioName;
  /** The tool to call the way the client normally would, and its arguments (also in `MCP_CONFORMANCE_CONTEXT`). */
  tool: string;
  arguments: Record<string, unknown>;
  /** Aborted when the scenario's time is up. */
  signal: AbortSignal;
}

/** A client under test in this process: does the scenario, then resolves (and closes its client). */
export type ClientDriver = (run: ScenarioRun) => Promise<void>;

/** How the client under test is run. */
export type ClientTarget =
  | { driver: ClientDriver; name?: string }
  /** A command line; run through the shell with the URL appended. */
  | { command: string }
  /** Nothing is started: each scenario's URL is announced and the suite waits for a client to do it. */
  | { listen: { port?: number; announce: (scenario: Scenario, url: string) => void } };

/** A progress event of a client run. */
export type ClientProgressEvent =
  | { type: 'scenario-start'; scenario: Scenario; url: string }
  | { type: 'scenario-end'; scenario: Scenario; driver: DriverEnd }
  | { type: 'check-end'; result: CheckResult; index: number; total: number };

/** Options of {@link runClientConformance}. */
export interface ClientRunOptions {
  client: ClientTarget;
  only?: string[];
  skip?: string[];
  baseline?: Baseline;
  /** Time the client has for one scenario (default 15 s). */
  scenarioTimeoutMs?: number;
  onProgress?: (event: ClientProgressEvent) => void;
}

/**
 * With `listen`, how long the scripted server keeps recording after the tool was answered (ms): a
 * client it did not start has no end to wait for, and may poll on (R45).
 */
const LISTEN_GRACE_MS = 300;

function runCommand(command: string, run: ScenarioRun, timeoutMs: number): Promise<DriverEnd> {
  return new Promise((resolve) => {
    const context = JSON.stringify({ name: run.scenario, tool: run.tool, arguments: run.arguments });
    const child = spawn(`${command} ${run.url}`, {
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MCP_CONFORMANCE_SCENARIO: run.scenario, MCP_CONFORMANCE_PROTOCOL_VERSION: '2025-11-25', MCP_CONFORMANCE_CONTEXT: context },
    });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ timedOut, error: error.message, output });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, timedOut, output, ...(code !== 0 && !timedOut ? { error: `exit code ${code}` } : {}) });
    });
  });
}

async function runDriver(driver: ClientDriver, run: ScenarioRun, controller: AbortController, timeoutMs: number): Promise<DriverEnd> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    const ended = await Promise.race([driver(run).then(() => 'done' as const), timeout]);
    if (ended === 'timeout') {
      controller.abort();
      return { timedOut: true };
    }
    return { timedOut: false };
  } catch (error) {
    return { timedOut: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the trace shows the scenario's tool answered (the task's result or the plain call's), or the time is up. */
async function awaitScenario(trace: ClientTrace, scenario: Scenario, signal: AbortSignal, timeoutMs: number): Promise<DriverEnd> {
  const finished = (): boolean =>
    trace.requests('tasks/result').some((r) => trace.answerTo(r.session, r.id)) ||
    trace.requests('tools/call').some((r) => r.params.name === scenario.tool && r.params.task === undefined && trace.answerTo(r.session, r.id));
  return { timedOut: !(await trace.waitFor(finished, timeoutMs, signal)) };
}

function runCheck(check: ClientCheck, trace: ClientTrace): CheckResult {
  const severity = severityOf(check.keyword);
  const ctx = new ClientCheckContext(trace, severity);
  let skipped: string | undefined;
  try {
    check.run(ctx);
  } catch (error) {
    if (error instanceof CheckSkip) skipped = error.message;
    else ctx.violation(`the check crashed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    id: check.id,
    title: check.title,
    section: check.section,
    keyword: check.keyword,
    severity,
    ...settle(ctx.violations, ctx.unchecked, skipped),
    tools: [],
    sent: [`scenario ${trace.scenario}`],
    expected: ctx.expected,
    saw: ctx.saw,
    durationMs: 0,
  };
}

/** The description of the client under test in the report. */
function describeClient(client: ClientTarget): string {
  if ('command' in client) return `${client.command} (client command)`;
  if ('listen' in client) return 'a client connecting to the announced URLs';
  return client.name ?? 'in-process client';
}

/**
 * Runs the client checks and returns the report (the same shape as the server suite's; `server`
 * holds the client's `clientInfo`). Throws on an unknown check ID.
 */
export async function runClientConformance(options: ClientRunOptions): Promise<Report> {
  const checks = selectChecks(CLIENT_CHECKS, options.only, options.skip);
  const startedAt = new Date();
  const timeoutMs = options.scenarioTimeoutMs ?? 15_000;
  const results: CheckResult[] = [];
  let clientInfo: { name: string; version: string } | undefined;
  for (const scenario of SCENARIOS) {
    const mine = checks.filter((c) => c.scenario === scenario.name);
    if (mine.length === 0) continue;
    const trace = new ClientTrace(scenario.name);
    const host = await startScriptedHost(scenario, trace, 'listen' in options.client ? (options.client.listen.port ?? 0) : 0);
    const controller = new AbortController();
    const run: ScenarioRun = { url: host.url, scenario: scenario.name, tool: scenario.tool, arguments: scenario.arguments, signal: controller.signal };
    options.onProgress?.({ type: 'scenario-start', scenario, url: host.url });
    try {
      const client = options.client;
      if ('command' in client) trace.driver = await runCommand(client.command, run, timeoutMs);
      else if ('driver' in client) trace.driver = await runDriver(client.driver, run, controller, timeoutMs);
      else {
        client.listen.announce(scenario, host.url);
        trace.driver = await awaitScenario(trace, scenario, controller.signal, timeoutMs);
        await new Promise((r) => setTimeout(r, LISTEN_GRACE_MS));
      }
    } finally {
      controller.abort();
      await host.close();
    }
    options.onProgress?.({ type: 'scenario-end', scenario, driver: trace.driver });
    const info = trace.initialize?.clientInfo as { name?: unknown; version?: unknown } | undefined;
    if (clientInfo === undefined && typeof info?.name === 'string') clientInfo = { name: info.name, version: String(info.version ?? '') };
    for (const check of mine) {
      const result = runCheck(check, trace);
      results.push(result);
      options.onProgress?.({ type: 'check-end', result, index: results.length - 1, total: checks.length });
    }
  }
  const order = new Map(checks.map((c, i) => [c.id, i]));
  results.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return finishReport({ target: describeClient(options.client), side: 'client', transport: 'http', ...(clientInfo ? { server: clientInfo } : {}) }, results, startedAt, options.baseline);
}
