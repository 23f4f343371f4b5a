import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conformanceCli } from './conformanceCli.js';
import { createFixtureServer, TaskWorld } from './servers/fixtureServer.js';
import { startHttpHost, type HttpHost } from './servers/httpHost.js';
import { startReferenceServer as startReferenceServerInProcess } from '../../src/cli/serve/index.js';

const STDIO_FIXTURE = fileURLToPath(new URL('./servers/stdioFixture.js', import.meta.url));

const cli = conformanceCli;

const worlds: TaskWorld[] = [];
let good: HttpHost;
let broken: HttpHost;
let dir: string;

before(async () => {
  const w1 = new TaskWorld();
  const w2 = new TaskWorld();
  worlds.push(w1, w2);
  good = await startHttpHost((owner) => createFixtureServer(w1, owner));
  broken = await startHttpHost((owner) => createFixtureServer(w2, owner, { requiredAsIsError: true }));
  dir = await mkdtemp(join(tmpdir(), 'conf-cli-'));
});

after(async () => {
  for (const w of worlds) w.close();
  await good.close();
  await broken.close();
  await rm(dir, { recursive: true, force: true });
});

test('--help prints the usage and exits 0', async () => {
  const r = await cli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Usage: mcp-tasks conformance/);
  assert.match(r.stdout, /--expected-failures/);
});

test('--list prints every check with its keyword and section', async () => {
  const r = await cli(['--list']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^R13 +MUST +Tool negotiation +required tool called without task/m);
  assert.match(r.stdout, /^R35 +SHOULD NOT +Streamable HTTP/m);
});

test('usage errors exit 2 with a clear message', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /exactly one of --url, --command or --self/],
    [['--url', good?.url ?? 'x', '--self'], /exactly one/],
    [['--bogus'], /unknown option '--bogus'/],
    [['--url'], /--url needs a value/],
    [['--url', 'http://127.0.0.1:1/mcp', '--header', 'no colon here'], /--header must look like/],
    [['--command', 'x', '--header', 'A: b'], /only apply to --url/],
    [['--url', 'http://127.0.0.1:1/mcp', '--header2', 'A: b'], /needs --header/],
    [['--url', 'http://127.0.0.1:1/mcp', '--check-timeout', 'abc'], /--check-timeout/],
    [['--url', 'http://127.0.0.1:1/mcp', '--role', 'waiting=x'], /unknown role 'waiting' \(roles: optional, required/],
    [['--url', 'http://127.0.0.1:1/mcp', '--tool-args', 'echo={oops'], /--tool-args echo: not JSON/],
    [['--url', 'http://127.0.0.1:1/mcp', '--tool-args', 'echo=[1]'], /--tool-args echo: not a JSON object/],
    [['--url', 'http://127.0.0.1:1/mcp', '--client-capabilities', '7'], /--client-capabilities: not a JSON object/],
    [['--url', 'http://127.0.0.1:1/mcp', '--profile', '/nonexistent/profile.yaml'], /cannot read --profile \/nonexistent\/profile\.yaml/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /^mcp-tasks conformance: .+ \(see mcp-tasks conformance --help\)\n$/, 'one line, pointing at --help');
  }
  const profile = join(dir, 'bad-profile.yaml');
  await writeFile(profile, 'roles:\n  hold: { tool: wait, ags: {} }\n');
  const bad = await cli(['--url', 'http://127.0.0.1:1/mcp', '--profile', profile]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad-profile\.yaml: roles\.hold/);
});

test('an unreachable server and a bad command exit 2 with a clear error', async () => {
  const url = await cli(['--url', 'http://127.0.0.1:9/mcp', '--quiet']);
  assert.equal(url.code, 2);
  assert.match(url.stderr, /cannot connect to http:\/\/127\.0\.0\.1:9\/mcp/);
  const notUrl = await cli(['--url', 'not a url']);
  assert.equal(notUrl.code, 2);
  assert.match(notUrl.stderr, /not a valid URL/);
  const cmd = await cli(['--command', 'definitely-not-a-command-xyz --stdio']);
  assert.equal(cmd.code, 2);
  assert.match(cmd.stderr, /cannot start or talk to 'definitely-not-a-command-xyz --stdio'/);
  const exits = await cli(['--command', `${process.execPath} -e "console.error('boom'); process.exit(3)"`]);
  assert.equal(exits.code, 2);
  assert.match(exits.stderr, /boom/);
});

test('a passing run exits 0, shows live progress and the table, and writes --json', async () => {
  const json = join(dir, 'report.json');
  const r = await cli(['--url', good.url, '--only', 'R13,R10,R49', '--json', json]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /Connected to .*Streamable HTTP/);
  assert.match(r.stderr, /\[1\/3\] PASS R10/);
  assert.match(r.stdout, /Tool negotiation +2 +0 +0 +0 +0/);
  assert.match(r.stdout, /RESULT: OK/);
  const report = JSON.parse(await readFile(json, 'utf8')) as { results: Array<{ id: string; outcome: string; sent: string[] }> };
  assert.deepEqual(report.results.map((x) => [x.id, x.outcome]), [['R10', 'pass'], ['R13', 'pass'], ['R49', 'pass']]);
  assert.ok(report.results[1]!.sent.length > 0);
});

test('R13: a MUST failure exits 1; the baseline makes it pass and reports stale entries', async () => {
  const failing = await cli(['--url', broken.url, '--only', 'R13', '--quiet']);
  assert.equal(failing.code, 1);
  assert.match(failing.stdout, /FAIL R13/);
  assert.match(failing.stdout, /saw: +result .*isError/);
  assert.match(failing.stdout, /RESULT: FAIL — MUST check\(s\) failed: R13/);
  const baseline = join(dir, 'baseline.yaml');
  await writeFile(baseline, '# known\nserver: broken\nexpected-failures:\n  R13: fail  # F1\n  R48:\n');
  const excused = await cli(['--url', broken.url, '--only', 'R13,R48', '--expected-failures', baseline, '--quiet']);
  assert.equal(excused.code, 0, excused.stdout);
  assert.match(excused.stdout, /Stale baseline entries .*R48/);
  assert.match(excused.stdout, /Known failures listed in the baseline: R13/);
  const written = join(dir, 'written.yaml');
  const write = await cli(['--url', broken.url, '--only', 'R13,R48', '--write-baseline', written, '--quiet']);
  assert.equal(write.code, 1);
  const text = await readFile(written, 'utf8');
  assert.match(text, /expected-failures:\n {2}R13: fail/);
  assert.doesNotMatch(text, /R48/);
});

test('a bad baseline or unknown check ID exits 2', async () => {
  const bad = join(dir, 'bad.yaml');
  await writeFile(bad, 'expected-failures:\n  R13: broken\n');
  const r = await cli(['--url', good.url, '--expected-failures', bad]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /line 2: outcome 'broken'/);
  const missing = await cli(['--url', good.url, '--expected-failures', join(dir, 'nope.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read --expected-failures/);
  const unknown = await cli(['--url', good.url, '--only', 'R999']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown check ID: R999/);
});

test('R82/R85: --header and --header2 make two requestors', async () => {
  const r = await cli([
    '--url', good.url,
    '--header', 'Authorization: Bearer alice',
    '--header2', 'Authorization: Bearer bob',
    '--only', 'R82,R85', '--quiet', '--verbose',
  ]);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /Security +2 +0/);
  assert.match(r.stdout, /second requestor made by credentials/);
  const single = await cli(['--url', good.url, '--header', 'Authorization: Bearer alice', '--only', 'R82', '--quiet']);
  assert.equal(single.code, 0);
  assert.match(single.stdout, /R82: needs a second credential \(--header2\)/);
});

test('--command runs the suite over stdio (exit 0 when it passes, 1 when a MUST fails)', async () => {
  const ok = await cli(['--command', `${process.execPath} ${STDIO_FIXTURE}`, '--only', 'R13,R49,R82', '--quiet']);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /\(stdio\)/);
  assert.match(ok.stdout, /R82: stdio has a single requestor/);
  const bad = await cli(['--command', `${process.execPath} ${STDIO_FIXTURE} --required-as-is-error`, '--only', 'R13', '--quiet']);
  assert.equal(bad.code, 1);
});

test('--self runs the bundled reference server in SSE, JSON-response, stateless and stdio modes', async () => {
  const json = join(dir, 'self.json');
  const r = await cli(['--self', '--only', 'R13,R82', '--quiet', '--json', json]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /== Streamable HTTP, SSE responses/);
  assert.match(r.stderr, /== Streamable HTTP, JSON responses/);
  assert.match(r.stderr, /== Streamable HTTP, stateless, --demo-auth/);
  assert.match(r.stderr, /== stdio ==/);
  assert.match(r.stdout, /All modes: every MUST and SHOULD check passed/);
  // and the official suite's tasks scenarios against the same reference server, in one summary
  assert.match(r.stderr, /== official suite, 2026-07-28 tasks extension/);
  assert.equal((r.stdout.match(/^ {2}PASS {2}tasks-/gm) ?? []).length, 9, r.stdout);
  assert.match(r.stdout, /Summary\n {2}2025-11-25 \(this suite\): 4 modes, \d+ check runs, every MUST and SHOULD check passed\n {2}2026-07-28 \(official suite, tasks extension\): 9\/9 scenarios passed, 44 checks\nAll passed\./);
  const reports = JSON.parse(await readFile(json, 'utf8')) as Array<{ target: string }>;
  assert.equal(reports.length, 4);
});

test('--official runs the official tasks scenarios against --url too; it refuses credentials and other targets', async () => {
  const server = await startReferenceServerInProcess({ port: 0 });
  try {
    const r = await cli(['--url', server.url!, '--only', 'R13', '--official', '--quiet']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASS {2}tasks-mrtr-composition/);
  } finally {
    await server.close();
  }
  assert.equal((await cli(['--command', 'x', '--official'])).code, 2);
  assert.equal((await cli(['--url', 'http://127.0.0.1:1/mcp', '--header', 'A: b', '--official'])).code, 2);
});
