/**
 * `mcp-tasks conformance client`: client conformance. The suite plays a scripted 2025-11-25
 * server per scenario and checks what the client under test sends.
 */
import { writeFile } from 'node:fs/promises';
import {
  CLIENT_CHECKS,
  formatBaseline,
  formatProgress,
  formatReport,
  reportToJson,
  runClientConformance,
  SCENARIOS,
  type ClientTarget,
} from '../../../conformance/index.js';
import { parseFlags, UsageError } from '../flags.js';
import { ids, positiveMs } from './args.js';
import { loadBaseline } from './baselineFile.js';

export const CLIENT_HELP = `Usage: mcp-tasks conformance client (--command "CMD" | --listen [PORT]) [options]

Checks an MCP tasks client (2025-11-25): for each scenario the suite serves a scripted server
over Streamable HTTP on 127.0.0.1, and the client under test calls the scenario's tool the way it
normally calls tools, answering any elicitation with accept.

Client (exactly one):
  --command "CMD"           started once per scenario as: CMD <server URL>, with the environment
                            MCP_CONFORMANCE_SCENARIO (the scenario), MCP_CONFORMANCE_PROTOCOL_VERSION
                            (2025-11-25) and MCP_CONFORMANCE_CONTEXT ({"name","tool","arguments"});
                            it must exit when done (the official conformance suite's client convention)
  --listen [PORT]           start nothing: print each scenario's URL (and tool) and wait until a
                            client has called the tool and had its answer (port 0 or none: a free one)

Options:
  --only R12,R31            run only these checks (and only the scenarios they read)
  --skip R44                leave these checks out
  --json FILE               write the machine-readable report to FILE
  --expected-failures FILE  baseline of known failures (YAML)
  --write-baseline FILE     write a baseline listing every check that did not pass
  --scenario-timeout MS     time the client has for one scenario (default 15000)
  --verbose                 print expected/saw for passing checks too
  --quiet                   no live progress
  --list                    list the checks and the scenarios, and exit
  -h, --help                this text

Scenarios:
${SCENARIOS.map((s) => `  ${s.name.padEnd(20)} ${s.title}`).join('\n')}

Exit code: 0 when no MUST check failed outside the baseline, 1 otherwise, 2 for usage errors.`;

const OPTIONS = {
  command: { type: 'string' },
  listen: { type: 'boolean' },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  json: { type: 'string' },
  'expected-failures': { type: 'string' },
  'write-baseline': { type: 'string' },
  'scenario-timeout': { type: 'string' },
  verbose: { type: 'boolean' },
  quiet: { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;


/** `--listen` takes an optional port: `--listen 8080` comes in as the flag and a positional-looking word. */
function splitListenPort(argv: string[]): { argv: string[]; port?: number } {
  const at = argv.indexOf('--listen');
  const next = at === -1 ? undefined : argv[at + 1];
  if (next === undefined || !/^\d+$/.test(next)) return { argv };
  const port = Number(next);
  if (port > 65_535) throw new UsageError(`--listen takes a port number, got: ${next}`);
  return { argv: [...argv.slice(0, at + 1), ...argv.slice(at + 2)], port };
}

/** Runs `mcp-tasks conformance client …` and returns the exit code. */
export async function runClientCommand(argvIn: string[]): Promise<number> {
  try {
    const { argv, port } = splitListenPort(argvIn);
    const { values: v } = parseFlags(argv, OPTIONS);
    if (v.help) {
      process.stdout.write(`${CLIENT_HELP}\n`);
      return 0;
    }
    if (v.list) {
      process.stdout.write(CLIENT_CHECKS.map((c) => `${c.id.padEnd(4)} ${c.keyword.padEnd(10)} ${c.scenario.padEnd(20)} ${c.title}\n`).join(''));
      return 0;
    }
    if ((v.command === undefined) === (v.listen !== true)) throw new UsageError('give exactly one of --command or --listen');
    const timeout = v['scenario-timeout'] === undefined ? undefined : positiveMs(v['scenario-timeout'], '--scenario-timeout');
    const baseline = await loadBaseline(v['expected-failures']);
    const client: ClientTarget =
      v.command !== undefined
        ? { command: v.command }
        : {
            listen: {
              ...(port !== undefined ? { port } : {}),
              announce: (scenario, url) => process.stderr.write(`scenario ${scenario.name}: connect to ${url} and call ${scenario.tool} ${JSON.stringify(scenario.arguments)}\n`),
            },
          };
    const report = await runClientConformance({
      client,
      only: (v.only ?? []).flatMap(ids),
      skip: (v.skip ?? []).flatMap(ids),
      ...(baseline ? { baseline } : {}),
      ...(timeout ? { scenarioTimeoutMs: timeout } : {}),
      onProgress: (event) => {
        if (v.quiet) return;
        if (event.type === 'scenario-start') process.stderr.write(`== scenario ${event.scenario.name}: ${event.scenario.title}\n`);
        else if (event.type === 'scenario-end') {
          const d = event.driver;
          if (d.timedOut || d.error) process.stderr.write(`   the client ${d.timedOut ? 'did not finish in time' : `failed: ${d.error}`}${d.output ? `\n${d.output.trim()}` : ''}\n`);
        } else {
          const line = formatProgress(event);
          if (line) process.stderr.write(`${line}\n`);
        }
      },
    });
    process.stdout.write(formatReport(report, { verbose: v.verbose === true }));
    const never = report.results.length > 0 && report.results.every((r) => r.outcome === 'skip' && /never connected/.test(r.reasons[0] ?? ''));
    if (never) {
      process.stderr.write(`mcp-tasks conformance client: the client never connected (${report.results[0]!.reasons[0]})\n`);
      return 2;
    }
    if (v.json) await writeFile(v.json, reportToJson(report));
    if (v['write-baseline']) {
      await writeFile(v['write-baseline'], formatBaseline(report, { target: report.target, ...(report.server ? { client: `${report.server.name} ${report.server.version}` } : {}) }));
    }
    return report.unexpectedFailures.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && /^unknown check ID/.test(error.message))) {
      process.stderr.write(`mcp-tasks conformance client: ${error.message} (see mcp-tasks conformance client --help)\n`);
      return 2;
    }
    throw error;
  }
}
