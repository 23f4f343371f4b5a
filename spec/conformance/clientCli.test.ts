import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../conformance/index.js';
import { taskClientDriver } from './clients/drivers.js';
import { conformanceCli } from './conformanceCli.js';

const DRIVER = fileURLToPath(new URL('../../examples/conformance-client.js', import.meta.url));

const cli = (args: string[], onStderr?: (stderr: string) => void) => conformanceCli(['client', ...args], onStderr);

test('conformance client --command runs the example TaskClient driver per scenario: every check passes, exit 0, --json written', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'client-cli-'));
  try {
    const json = join(dir, 'client.json');
    const ran = await cli(['--command', `"${process.execPath}" "${DRIVER}"`, '--json', json]);
    assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stdout, /client conformance — conformance-client 1\.0\.0 as /);
    assert.match(ran.stderr, /== scenario input-required: /);
    const report = JSON.parse(await readFile(json, 'utf8')) as Report;
    assert.equal(report.side, 'client');
    assert.ok(report.results.length >= 14 && report.results.every((r) => r.outcome === 'pass'), ran.stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('conformance client --listen announces each scenario’s URL and waits for a client to do it', async () => {
  const seen = new Set<string>();
  const drivers: Array<Promise<void>> = [];
  const ran = await cli(['--listen', '0', '--only', 'R12,R9', '--scenario-timeout', '20000'], (stderr) => {
    for (const m of stderr.matchAll(/scenario (\S+): connect to (\S+) and call (\S+) (\{.*\})/g)) {
      if (seen.has(m[1]!)) continue;
      seen.add(m[1]!);
      drivers.push(taskClientDriver({ url: m[2]!, scenario: m[1] as never, tool: m[3]!, arguments: JSON.parse(m[4]!) as Record<string, unknown>, signal: new AbortController().signal }));
    }
  });
  await Promise.all(drivers);
  assert.deepEqual([...seen], ['tool-required', 'forbidden-tool'], 'both scenarios were announced, in run order');
  assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
  assert.match(ran.stdout, /Total +2 +0 +0 +0 +0/);
});

test('conformance client: usage errors, and a client that never connects, exit 2', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /exactly one of --command or --listen/],
    [['--command', 'x', '--listen'], /exactly one/],
    [['--listen', '99999'], /--listen takes a port number/],
    [['--command', 'x', '--scenario-timeout', 'soon'], /--scenario-timeout/],
    [['--command', 'x', '--only', 'R999'], /unknown check ID: R999/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const never = await cli(['--command', `"${process.execPath}" -e "process.exit(3)"`, '--only', 'R12', '--quiet']);
  assert.equal(never.code, 2);
  assert.match(never.stderr, /the client never connected .*exit code 3/);
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /MCP_CONFORMANCE_SCENARIO/);
  const list = await cli(['--list']);
  assert.match(list.stdout, /^R2 +schema +tool-required/m);
});
