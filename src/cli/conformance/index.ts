/**
 * `mcp-tasks conformance`: runs the SEP-1686 conformance suite against a server (Streamable HTTP
 * URL or stdio command), or against the bundled reference server in every mode (`--self`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import {
  ALL_CHECKS,
  ConnectError,
  formatBaseline,
  formatProgress,
  formatReport,
  reportToJson,
  runConformance,
  type Baseline,
  type Profile,
  type Report,
  type TargetSpec,
} from '../../../conformance/index.js';
import { parseArgs, UsageError, type ConformanceArgs } from './args.js';
import { loadBaseline } from './baselineFile.js';
import { profileOf } from './choices.js';
import { runClientCommand } from './client.js';
import { formatOfficial, officialSummary, runOfficialTasks, type OfficialOutcome } from './official.js';
import { officialMode, selfModes, startReferenceServer, type SelfMode } from './self.js';

export const HELP = `Usage: mcp-tasks conformance (--url URL | --command "CMD" | --self) [options]
       mcp-tasks conformance client (--command "CMD" | --listen [PORT]) [options]   (client side; see its --help)

Runs the MCP tasks (2025-11-25, SEP-1686) conformance suite against a server and, with
--official or --self, the official suite's 2026-07-28 tasks-extension scenarios too.

Target (exactly one):
  --url URL                 a Streamable HTTP endpoint, e.g. http://127.0.0.1:3000/mcp
  --command "CMD"           a stdio server command line, e.g. "node server.js --stdio"
  --self                    the bundled reference server, over SSE, JSON-response, stateless and stdio,
                            and the official suite's tasks scenarios against it

Options:
  --official                also run the official suite's nine tasks-* scenarios (2026-07-28,
                            @modelcontextprotocol/conformance, on Node 22; --url only)
  --header "Name: value"    header of requestor A (repeatable), e.g. "Authorization: Bearer alice"
  --header2 "Name: value"   header of requestor B (repeatable): enables the isolation checks
                            with a second credential
  --only R13,R50            run only these checks
  --skip R36,R65            leave these checks out
  --json FILE               write the machine-readable report to FILE
  --expected-failures FILE  baseline of known failures (YAML): listed failures do not fail the
                            run; listed checks that now pass are reported as stale
  --write-baseline FILE     write a baseline listing every check that did not pass
  --verbose                 print sent/expected/saw for passing checks too
  --quiet                   no live progress
  --check-timeout MS        time limit of one check (default 15000)

Servers without the fixture tools (discovery mode, docs/conformance.md):
  --role ROLE=TOOL          run the checks of a fixture's role on one of the server's tools
                            (repeatable); roles: optional, required, forbidden, tool_error,
                            protocol_error, elicit, sample, progress, hold, stubborn
  --tool-args TOOL='{json}' the arguments of every call of TOOL (repeatable; default: generated
                            from its inputSchema)
  --profile FILE            roles, tool arguments and client capabilities from a YAML file
                            (e.g. conformance/profiles/server-everything.yaml)
  --client-capabilities '{json}'
                            what the suite's client declares (default: elicitation, sampling,
                            roots and every tasks capability)
  --list                    list the checks (ID, keyword, section, title) and exit
  -h, --help                this text

Exit code: 0 when no MUST check failed outside the baseline (with --self: when every MUST and
SHOULD check passed in every mode) and every official scenario run passed, 1 otherwise, 2 for
usage errors and unreachable servers.`;

function headersOf(list: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    const name = h.slice(0, i).trim();
    if (i <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`--header must look like "Name: value", got: ${h}`);
    headers[name] = h.slice(i + 1).trim();
  }
  return headers;
}

async function runOne(target: TargetSpec, args: ConformanceArgs, baseline: Baseline | undefined, profile?: Profile): Promise<Report> {
  return runConformance({
    target,
    ...(profile ? { tools: profile.tools } : {}),
    ...(profile?.clientCapabilities ? { clientCapabilities: profile.clientCapabilities } : {}),
    ...(args.only.length ? { only: args.only } : {}),
    ...(args.skip.length ? { skip: args.skip } : {}),
    ...(baseline ? { baseline } : {}),
    ...(args.checkTimeoutMs ? { checkTimeoutMs: args.checkTimeoutMs } : {}),
    onProgress: (event) => {
      if (args.quiet) return;
      const line = formatProgress(event);
      if (line) process.stderr.write(`${line}\n`);
    },
  });
}

/** Non-passing results that make a --self mode fail: any fail or warn outside the baseline. */
function selfProblems(report: Report): string[] {
  return report.results.filter((r) => (r.outcome === 'fail' || r.outcome === 'warn') && r.baseline !== 'expected').map((r) => `${r.id}:${r.outcome}`);
}

/** Runs the official part against `url`, printing it. */
async function runOfficial(url: string, args: ConformanceArgs, baseline: Baseline | undefined): Promise<OfficialOutcome> {
  const outcome = await runOfficialTasks(
    url,
    (line) => {
      if (!args.quiet) process.stderr.write(`${line}\n`);
    },
    baseline?.official,
  );
  process.stdout.write(`\n${formatOfficial(outcome)}`);
  return outcome;
}

async function runSelf(args: ConformanceArgs, baseline: Baseline | undefined): Promise<{ reports: Report[]; ok: boolean }> {
  const reports: Report[] = [];
  let ok = true;
  for (const mode of selfModes()) {
    process.stderr.write(`\n== ${mode.label} ==\n`);
    const server = await startReferenceServer(mode);
    try {
      const report = await runOne(server.target, args, baseline);
      const where = 'url' in server.target ? server.target.url : 'command' in server.target ? server.target.command : report.target;
      report.target = `${mode.label}: ${where}`;
      reports.push(report);
      process.stdout.write(`\n${formatReport(report, { verbose: args.verbose })}`);
      const problems = selfProblems(report);
      if (problems.length > 0) {
        ok = false;
        process.stdout.write(`MODE FAILED (${mode.label}): ${problems.join(', ')}\n`);
      }
    } finally {
      await server.stop();
    }
  }
  process.stdout.write(ok ? '\nAll modes: every MUST and SHOULD check passed.\n' : '\nSome MUST or SHOULD checks did not pass (see above).\n');
  const selfOk = ok;
  const mode = officialMode();
  process.stderr.write(`\n== ${mode.label} ==\n`);
  const server = await startReferenceServer(mode);
  let official: OfficialOutcome;
  try {
    official = await runOfficial(String((server.target as { url: string }).url), args, baseline);
  } finally {
    await server.stop();
  }
  ok &&= official.ok;
  const checks = reports.reduce((n, report) => n + report.results.length, 0);
  process.stdout.write(
    [
      '',
      'Summary',
      `  2025-11-25 (this suite): ${reports.length} modes, ${checks} check runs, ${selfOk ? 'every MUST and SHOULD check passed' : 'some MUST or SHOULD checks did not pass (see above)'}`,
      `  ${officialSummary(official)}`,
      ok ? 'All passed.' : 'Not all passed (see above).',
      '',
    ].join('\n'),
  );
  return { reports, ok };
}

/** Runs `mcp-tasks conformance …` and returns the exit code. */
export async function runConformanceCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'client') return runClientCommand(argv.slice(1));
  let args: ConformanceArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`mcp-tasks conformance: ${(error as Error).message} (see mcp-tasks conformance --help)\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (args.list) {
    process.stdout.write(ALL_CHECKS.map((c) => `${c.id.padEnd(4)} ${c.keyword.padEnd(10)} ${c.section.padEnd(22)} ${c.title}\n`).join(''));
    return 0;
  }
  try {
    const baseline = await loadBaseline(args.expectedFailures);
    let reports: Report[];
    let code: number;
    if (args.self) {
      const { reports: rs, ok } = await runSelf(args, baseline);
      reports = rs;
      code = ok ? 0 : 1;
    } else {
      const target: TargetSpec = args.url
        ? {
            url: args.url,
            headers: headersOf(args.headers),
            ...(args.headers2.length ? { headersB: headersOf(args.headers2) } : {}),
          }
        : { command: args.command! };
      const report = await runOne(target, args, baseline, await profileOf(args));
      reports = [report];
      process.stdout.write(formatReport(report, { verbose: args.verbose }));
      code = report.unexpectedFailures.length > 0 ? 1 : 0;
      if (args.official && args.url !== undefined) {
        const official = await runOfficial(args.url, args, baseline);
        if (official.skipped !== undefined || !official.ok) code = 1;
      }
    }
    if (args.json) await writeFile(args.json, reportToJson(reports.length === 1 && !args.self ? reports[0]! : reports));
    if (args.writeBaseline) {
      const merged: Report = { ...reports[0]!, results: reports.flatMap((r) => r.results) };
      const seen = new Set<string>();
      merged.results = merged.results.filter((r) => (r.outcome === 'pass' || r.outcome === 'skip' ? false : !seen.has(r.id) && seen.add(r.id)));
      await writeFile(args.writeBaseline, formatBaseline(merged, { target: reports.map((r) => r.target).join(' | ') }));
    }
    return code;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`mcp-tasks conformance: ${error.message} (see mcp-tasks conformance --help)\n`);
      return 2;
    }
    if (error instanceof ConnectError) {
      process.stderr.write(`mcp-tasks conformance: ${error.message}\n`);
      return 2;
    }
    if (error instanceof Error && /^unknown check ID/.test(error.message)) {
      process.stderr.write(`mcp-tasks conformance: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

export type { SelfMode };
