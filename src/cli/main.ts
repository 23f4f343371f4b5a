#!/usr/bin/env node
/** The `mcp-tasks` command: `serve` (reference server) and `conformance` (the suite). */
import { runServeCommand } from './serve/index.js';
import { runConformanceCommand } from './conformance/index.js';

const USAGE = `Usage:
  mcp-tasks serve [--port N] [--json-response] [--stdio] [--stateless] [--demo-auth] [--redis URL]
  mcp-tasks conformance (--url URL | --command "CMD" | --self) [options]   (see: mcp-tasks conformance --help)`;

/** Runs the command line and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServeCommand(rest);
    case 'conformance':
      return runConformanceCommand(rest);
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`mcp-tasks: unknown command '${command}'\n${USAGE}\n`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
