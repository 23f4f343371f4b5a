/**
 * The official test server `@modelcontextprotocol/server-everything` (a devDependency), started
 * by the tests: over Streamable HTTP on a free port of 127.0.0.1, or as a stdio command line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { stopChild } from '../../../src/cli/conformance/self.js';
import { freePort } from '../../support/redisServer.js';

const require = createRequire(import.meta.url);

/** The installed version and the launcher script. */
export const EVERYTHING = (() => {
  const pkg = require.resolve('@modelcontextprotocol/server-everything/package.json');
  const { version } = require(pkg) as { version: string };
  return { version, script: join(dirname(pkg), 'dist', 'index.js') };
})();

/** The stdio command line (for `--command` / a CommandTarget). */
export const EVERYTHING_STDIO = `"${process.execPath}" "${EVERYTHING.script}" stdio`;

/** Starts it over Streamable HTTP; resolves once it says it listens. */
export async function startEverythingHttp(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [EVERYTHING.script, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything did not start within 20 s:\n${output}`)), 20_000);
    // it says so on stderr; its per-request log lines go to stdout
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/listening on port/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything exited (${code}) before it listened:\n${output}`));
    });
  });
  try {
    await started;
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  child.stdout!.removeAllListeners('data').resume(); // its log lines must not fill the pipes
  child.stderr!.removeAllListeners('data').resume();
  child.removeAllListeners('exit');
  return { url: `http://127.0.0.1:${port}/mcp`, stop: () => stopChild(child) };
}
