/** Command-line parsing of `mcp-tasks conformance`. */

/** Bad command-line usage (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

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
}

function ids(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}

/** Parses argv (after `conformance`); throws {@link UsageError}. */
export function parseArgs(argv: string[]): ConformanceArgs {
  const args: ConformanceArgs = { self: false, official: false, headers: [], headers2: [], only: [], skip: [], verbose: false, quiet: false, help: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--url':
        args.url = value();
        break;
      case '--command':
        args.command = value();
        break;
      case '--self':
        args.self = true;
        break;
      case '--official':
        args.official = true;
        break;
      case '--header':
        args.headers.push(value());
        break;
      case '--header2':
        args.headers2.push(value());
        break;
      case '--only':
        args.only.push(...ids(value()));
        break;
      case '--skip':
        args.skip.push(...ids(value()));
        break;
      case '--json':
        args.json = value();
        break;
      case '--expected-failures':
        args.expectedFailures = value();
        break;
      case '--write-baseline':
        args.writeBaseline = value();
        break;
      case '--verbose':
        args.verbose = true;
        break;
      case '--quiet':
        args.quiet = true;
        break;
      case '--check-timeout': {
        const n = Number(value());
        if (!Number.isInteger(n) || n <= 0) throw new UsageError('--check-timeout takes a positive number of milliseconds');
        args.checkTimeoutMs = n;
        break;
      }
      case '--list':
        args.list = true;
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${raw}`);
    }
  }
  if (args.help || args.list) return args;
  const targets = [args.url !== undefined, args.command !== undefined, args.self].filter(Boolean).length;
  if (targets !== 1) throw new UsageError('give exactly one of --url, --command or --self');
  if ((args.headers.length || args.headers2.length) && args.url === undefined) throw new UsageError('--header and --header2 only apply to --url');
  if (args.official && args.url === undefined && !args.self) throw new UsageError('--official needs --url (the official suite speaks Streamable HTTP only)');
  if (args.official && args.headers.length) throw new UsageError('--official cannot send --header: the official suite sends no credentials');
  if (args.headers2.length && !args.headers.length) throw new UsageError('--header2 (requestor B) needs --header (requestor A) too');
  return args;
}
