import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../conformance/index.js';
import { conformanceCli } from './conformanceCli.js';
import { assertEverythingReport, runOnEverything } from './servers/everythingRun.js';
import { EVERYTHING, startEverythingHttp } from './servers/everything.js';

const PROFILE = fileURLToPath(new URL('../../../conformance/profiles/server-everything.yaml', import.meta.url));

test(`server-everything ${EVERYTHING.version} over Streamable HTTP, no fixture and no flag: R13, R55 and R70 fail, 35+ checks run, its baseline holds`, async () => {
  const server = await startEverythingHttp();
  try {
    const report = await runOnEverything({ url: server.url });
    assertEverythingReport(report, 38);
    assert.equal(report.results.find((r) => r.id === 'R35')!.outcome, 'warn', 'tasks/get answered on an SSE stream');
  } finally {
    await server.stop();
  }
});

test('server-everything with its documented profile (mcp-tasks conformance --profile): the hold and elicit checks run on simulate-research-query', async () => {
  const server = await startEverythingHttp();
  const dir = await mkdtemp(join(tmpdir(), 'conf-everything-'));
  try {
    const json = join(dir, 'report.json');
    const only = ['R16', 'R29', 'R30', 'R52', 'R73', 'G15', 'R85'];
    const ran = await conformanceCli(['--url', server.url, '--profile', PROFILE, '--only', only.join(','), '--json', json]);
    assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stderr, /hold runs on simulate-research-query \(role, taskSupport required\)/);
    assert.match(ran.stderr, /elicit runs on simulate-research-query \(role, taskSupport required\)/);
    const report = JSON.parse(await readFile(json, 'utf8')) as Report;
    for (const id of only) {
      const r = report.results.find((x) => x.id === id)!;
      assert.notEqual(r.outcome, 'skip', `${id}: ${r.reasons.join(' ')}`);
      assert.ok(r.tools.some((t) => t.startsWith('simulate-research-query (role')), `${id} ran on the role's tool`);
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
