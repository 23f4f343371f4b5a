/**
 * `--self`: starts the bundled reference server (`mcp-tasks serve`) as a child process in each
 * mode and gives the suite a target for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConnectError, type TargetSpec } from '../../../conformance/index.js';

/** One way of running the reference server. */
export interface SelfMode {
  label: string;
  /** `serve` flags; `--stdio` modes are run through `--command`. */
  serveArgs: string[];
  stdio: boolean;
  /** Credentials of requestors A and B (with --demo-auth). */
  headers?: Record<string, string>;
  headersB?: Record<string, string>;
}

/** The path of the `mcp-tasks` entry point next to this module. */
export function mainScript(): string {
  return fileURLToPath(new URL('../main.js', import.meta.url));
}

/** The four modes `npm run conformance` covers. */
export function selfModes(): SelfMode[] {
  return [
    {
      label: 'Streamable HTTP, SSE responses, --demo-auth (two credentials)',
      serveArgs: ['--port', '0', '--demo-auth'],
      stdio: false,
      headers: { Authorization: 'Bearer conformance-alice' },
      headersB: { Authorization: 'Bearer conformance-bob' },
    },
    { label: 'Streamable HTTP, JSON responses (two sessions)', serveArgs: ['--port', '0', '--json-response'], stdio: false },
    {
      label: 'Streamable HTTP, stateless, --demo-auth (two credentials)',
      serveArgs: ['--port', '0', '--stateless', '--demo-auth'],
      stdio: false,
      headers: { Authorization: 'Bearer conformance-carol' },
      headersB: { Authorization: 'Bearer conformance-dave' },
    },
    { label: 'stdio', serveArgs: ['--stdio'], stdio: true },
  ];
}

/** The mode the official suite runs against: Streamable HTTP without credentials (it sends none). */
export function officialMode(): SelfMode {
  return { label: 'official suite, 2026-07-28 tasks extension, on the same reference server (Streamable HTTP)', serveArgs: ['--port', '0'], stdio: false };
}

/** A running reference server. */
export interface StartedServer {
  target: TargetSpec;
  stop(): Promise<void>;
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Stops a child process: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Starts the reference server in a mode; resolves once it printed its URL. */
export async function startReferenceServer(mode: SelfMode, script = mainScript(), readyTimeoutMs = 20_000): Promise<StartedServer> {
  if (mode.stdio) {
    const command = [process.execPath, script, 'serve', ...mode.serveArgs].map(quote).join(' ');
    return { target: { command }, stop: async () => undefined };
  }
  const child = spawn(process.execPath, [script, 'serve', ...mode.serveArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`the reference server printed no URL within ${readyTimeoutMs} ms`), readyTimeoutMs);
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new ConnectError(`${why}\n--- output of serve ${mode.serveArgs.join(' ')} ---\n${output.trim()}`));
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /(https?:\/\/[^\s"'<>]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', (error) => fail(`cannot start the reference server: ${error.message}`));
    child.once('exit', (code, signal) => fail(`the reference server exited (${signal ?? code}) before printing its URL`));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    target: { url, ...(mode.headers ? { headers: mode.headers } : {}), ...(mode.headersB ? { headersB: mode.headersB } : {}) },
    stop: () => stopChild(child),
  };
}
