/** The top-level `mcp-tasks` command: --version, --help, unknown commands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { MAIN_JS } from './serveHelpers.js';

const run = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN_JS, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('mcp-tasks --version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const flag of ['--version', '-v']) {
    assert.deepEqual(await cli([flag]), { code: 0, stdout: `mcp-tasks ${version}\n`, stderr: '' });
  }
});

test('mcp-tasks --help lists both commands with every serve flag; no command is a usage error', async () => {
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  for (const flag of ['--port', '--host', '--json-response', '--stdio', '--stateless', '--demo-auth', '--redis', '--key-prefix', 'conformance', '--version']) {
    assert.ok(help.stdout.includes(flag), flag);
  }
  assert.equal((await cli([])).code, 2);
});

test('an unknown command is one line pointing at --help, exit 2', async () => {
  assert.deepEqual(await cli(['bogus']), { code: 2, stdout: '', stderr: "mcp-tasks: unknown command 'bogus' (see mcp-tasks --help)\n" });
});
