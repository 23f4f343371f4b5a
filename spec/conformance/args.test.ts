import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, UsageError } from '../../src/cli/conformance/args.js';
import { selfModes, startReferenceServer, stopChild } from '../../src/cli/conformance/self.js';
import { ConnectError } from '../../conformance/index.js';
import { spawn } from 'node:child_process';

test('parseArgs reads every option, in both --flag value and --flag=value forms', () => {
  const a = parseArgs([
    '--url=http://h/mcp', '--header', 'A: 1', '--header2=B: 2', '--only', 'r13, R50', '--skip=R36',
    '--json', 'r.json', '--expected-failures', 'b.yaml', '--write-baseline=w.yaml', '--verbose', '--quiet', '--check-timeout', '500',
    '--role', 'hold=wait', '--role=elicit=ask', '--tool-args', 'wait={"s":1}', '--profile', 'p.yaml', '--client-capabilities', '{}',
  ]);
  assert.deepEqual(a, {
    url: 'http://h/mcp', self: false, official: false, list: false, headers: ['A: 1'], headers2: ['B: 2'], only: ['R13', 'R50'], skip: ['R36'],
    json: 'r.json', expectedFailures: 'b.yaml', writeBaseline: 'w.yaml', verbose: true, quiet: true, help: false, checkTimeoutMs: 500,
    roles: ['hold=wait', 'elicit=ask'], toolArgs: ['wait={"s":1}'], profile: 'p.yaml', clientCapabilities: '{}',
  });
  assert.throws(() => parseArgs(['--url', 'http://h/mcp', '--role', 'hold']), /--role takes NAME=VALUE/);
  assert.throws(() => parseArgs(['--self', '--role', 'hold=x']), /not --self/);
  assert.equal(parseArgs(['-h']).help, true);
  assert.equal(parseArgs(['--list']).list, true);
  assert.equal(parseArgs(['--command', 'node s.js']).command, 'node s.js');
  assert.equal(parseArgs(['--self']).self, true);
  assert.equal(parseArgs(['--url', 'http://h/mcp', '--official']).official, true);
  assert.throws(() => parseArgs(['--command', 'node s.js', '--official']), /--official needs --url/);
  assert.throws(() => parseArgs(['--url', 'http://h/mcp', '--header', 'A: 1', '--official']), /sends no credentials/);
  assert.throws(() => parseArgs(['--self', '--check-timeout', '-1']), UsageError);
  assert.throws(() => parseArgs(['--json']), /--json needs a value/);
});

test('selfModes cover SSE with two credentials, JSON responses, stateless with two credentials and stdio', () => {
  const modes = selfModes();
  assert.deepEqual(modes.map((m) => m.serveArgs), [
    ['--port', '0', '--demo-auth'],
    ['--port', '0', '--json-response'],
    ['--port', '0', '--stateless', '--demo-auth'],
    ['--stdio'],
  ]);
  assert.ok(modes[0]!.headersB);
  assert.ok(modes[2]!.headersB);
});

test('startReferenceServer: a server that exits or prints no URL gives a ConnectError with its output', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'conf-self-'));
  try {
    const exits = join(dir, 'exits.js');
    await writeFile(exits, "console.error('no port for you'); process.exit(4);\n");
    await assert.rejects(
      startReferenceServer({ label: 'x', serveArgs: [], stdio: false }, exits),
      (e: unknown) => e instanceof ConnectError && /exited \(4\)/.test(e.message) && /no port for you/.test(e.message),
    );
    const silent = join(dir, 'silent.js');
    await writeFile(silent, 'setInterval(() => {}, 1000);\n');
    await assert.rejects(startReferenceServer({ label: 'x', serveArgs: [], stdio: false }, silent, 300), /printed no URL within 300 ms/);
    const stdio = await startReferenceServer({ label: 's', serveArgs: ['--stdio'], stdio: true }, join(dir, "it's.js"));
    assert.match((stdio.target as { command: string }).command, /serve --stdio$/);
    assert.match((stdio.target as { command: string }).command, /'.*it'\\''s\.js'/);
    await stdio.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('stopChild ends a child that ignores SIGTERM, and returns at once for one that already exited', async () => {
  const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000);"], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  await stopChild(child, 100);
  assert.equal(child.signalCode, 'SIGKILL');
  await stopChild(child);
});
