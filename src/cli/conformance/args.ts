/** Command-line parsing of `mcp-tasks conformance` (`node:util` `parseArgs`, through `cli/flags.ts`). */
import { parseFlags, UsageError } from '../flags.js';

export { UsageError };

/** Parsed options of `mcp-tasks conformance`. */
export interface ConformanceArgs {
  url?: string;
  command?: string;
  self: boolean;
  /** Also run the official suite's 2026-07-28 tasks scenarios (always with --self). */
  official: boolean;
  headers: string[];
  headers2: string[];
  only: string[];
  skip: string[];
  json?: string;
  expectedFailures?: string;
  writeBaseline?: string;
  verbose: boolean;
  quiet: boolean;
  help: boolean;
  /** Print the checks and exit. */
  list: boolean;
  checkTimeoutMs?: number;
  /** `--role ROLE=TOOL`, in order. */
  roles: string[];
  /** `--tool-args NAME=JSON`, in order. */
  toolArgs: string[];
  /** `--profile FILE`. */
  profile?: string;
  /** `--client-capabilities JSON`. */
  clientCapabilities?: string;
}

/** Requirement IDs from a comma-separated `--only` / `--skip` value (`r13, R50` → `R13`, `R50`). */
export function ids(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}

/** A flag's value as a positive whole number of milliseconds; throws {@link UsageError}. */
export function positiveMs(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive number of milliseconds`);
  return n;
}

const OPTIONS = {
  url: { type: 'string' },
  command: { type: 'string' },
  self: { type: 'boolean' },
  official: { type: 'boolean' },
  header: { type: 'string', multiple: true },
  header2: { type: 'string', multiple: true },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  json: { type: 'string' },
  'expected-failures': { type: 'string' },
  'write-baseline': { type: 'string' },
  verbose: { type: 'boolean' },
  quiet: { type: 'boolean' },
  'check-timeout': { type: 'string' },
  list: { type: 'boolean' },
  role: { type: 'string', multiple: true },
  'tool-args': { type: 'string', multiple: true },
  profile: { type: 'string' },
  'client-capabilities': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses argv (after `conformance`); throws {@link UsageError}. */
export function parseArgs(argv: string[]): ConformanceArgs {
  const { values: v } = parseFlags(argv, OPTIONS);
  const args: ConformanceArgs = {
    self: v.self === true,
    official: v.official === true,
    headers: v.header ?? [],
    headers2: v.header2 ?? [],
    only: (v.only ?? []).flatMap(ids),
    skip: (v.skip ?? []).flatMap(ids),
    verbose: v.verbose === true,
    quiet: v.quiet === true,
    help: v.help === true,
    list: v.list === true,
    roles: v.role ?? [],
    toolArgs: v['tool-args'] ?? [],
    ...(v.profile === undefined ? {} : { profile: v.profile }),
    ...(v['client-capabilities'] === undefined ? {} : { clientCapabilities: v['client-capabilities'] }),
    ...(v.url === undefined ? {} : { url: v.url }),
    ...(v.command === undefined ? {} : { command: v.command }),
    ...(v.json === undefined ? {} : { json: v.json }),
    ...(v['expected-failures'] === undefined ? {} : { expectedFailures: v['expected-failures'] }),
    ...(v['write-baseline'] === undefined ? {} : { writeBaseline: v['write-baseline'] }),
  };
  if (v['check-timeout'] !== undefined) args.checkTimeoutMs = positiveMs(v['check-timeout'], '--check-timeout');
  if (args.help || args.list) return args;
  const targets = [args.url !== undefined, args.command !== undefined, args.self].filter(Boolean).length;
  if (targets !== 1) throw new UsageError('give exactly one of --url, --command or --self');
  if ((args.headers.length || args.headers2.length) && args.url === undefined) throw new UsageError('--header and --header2 only apply to --url');
  if (args.official && args.url === undefined && !args.self) throw new UsageError('--official needs --url (the official suite speaks Streamable HTTP only)');
  if (args.official && args.headers.length) throw new UsageError('--official cannot send --header: the official suite sends no credentials');
  for (const [flag, values] of [['--role', args.roles], ['--tool-args', args.toolArgs]] as const) {
    const bad = values.find((value) => value.indexOf('=') <= 0);
    if (bad !== undefined) throw new UsageError(`${flag} takes NAME=VALUE, got: ${bad}`);
  }
  if (args.self && (args.roles.length || args.toolArgs.length || args.profile !== undefined)) {
    throw new UsageError('--role, --tool-args and --profile are for servers without the fixtures, not --self');
  }
  if (args.headers2.length && !args.headers.length) throw new UsageError('--header2 (requestor B) needs --header (requestor A) too');
  return args;
}
