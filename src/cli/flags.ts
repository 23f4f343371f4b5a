/**
 * Command-line flags with `node:util`'s `parseArgs`, and its errors as one-line usage errors.
 * A flag may be given as `--flag value` or `--flag=value`, once (unless it is `multiple`).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line that cannot be understood; the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; tokens: true }>>['values'];

/**
 * Parses `argv` strictly (no positionals) and returns the values and the long names of the flags
 * given. Throws {@link UsageError} for an unknown flag, a flag without its value or with a value it
 * does not take, and a flag that is not `multiple` given twice. A value may start with a single dash (`--port -1`).
 */
export function parseFlags<O extends Options>(argv: readonly string[], options: O): { values: Values<O>; tokens: string[] } {
  const args = joinValues(argv, options);
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, tokens: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(usageMessage(error));
  }
  const names: string[] = [];
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || token.name === 'help') continue;
    if (names.includes(token.name) && options[token.name]?.multiple !== true) throw new UsageError(`--${token.name} given more than once`);
    names.push(token.name);
  }
  return { values: parsed.values as Values<O>, tokens: names };
}

/** `--flag value` → `--flag=value` for string flags whose value starts with one dash (parseArgs refuses those as ambiguous). */
function joinValues(argv: readonly string[], options: Options): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-[^-]/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else {
      args.push(arg);
    }
  }
  return args;
}

function usageMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const quoted = /'([^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unknown option '${quoted}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take an argument/.test(message) ? `${quoted} takes no value` : `${quoted} needs a value`;
  }
  return message;
}
