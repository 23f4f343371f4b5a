#!/usr/bin/env node
/** The `mcp-tasks` command: `serve` (reference server) and `conformance` (the suite). */
import { readFileSync } from 'node:fs';
import { runServeCommand } from './serve/index.js';
import { runConformanceCommand } from './conformance/index.js';

const USAGE = `Usage:
  mcp-tasks serve [--port N] [--host ADDRESS] [--json-response] [--stdio] [--stateless] [--demo-auth]
                  [--redis URL] [--key-prefix P]                          (see: mcp-tasks serve --help)
  mcp-tasks conformance (--url URL | --command "CMD" | --self) [options]  (see: mcp-tasks conformance --help)
  mcp-tasks conformance client (--command "CMD" | --listen [PORT]) [options]  (see: mcp-tasks conformance client --help)
  mcp-tasks --version`;

/** This package's version, from its package.json. */
export function packageVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** Runs the command line and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServeCommand(rest);
    case 'conformance':
      return runConformanceCommand(rest);
    case '-v':
    case '--version':
      process.stdout.write(`mcp-tasks ${packageVersion()}\n`);
      return 0;
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`mcp-tasks: unknown command '${command}' (see mcp-tasks --help)\n`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
