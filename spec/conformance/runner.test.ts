import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runConformance, formatReport, type Report } from '../../conformance/index.js';
import { fixtureTarget, type Breakage } from './servers/fixtureServer.js';

async function run(breakage: Breakage = {}, only?: string[]): Promise<Report> {
  const target = fixtureTarget(breakage);
  try {
    return await runConformance({
      target: { connect: target.connect, name: 'fixture server', requestors: 'credentials' },
      ...(only ? { only } : {}),
      checkTimeoutMs: 10_000,
    });
  } finally {
    await target.close();
  }
}

function outcome(report: Report, id: string): string | undefined {
  return report.results.find((r) => r.id === id)?.outcome;
}

test('a spec-following server passes every MUST and SHOULD check', async () => {
  const report = await run();
  const bad = report.results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn');
  assert.deepEqual(bad.map((r) => r.id), [], formatReport(report));
  assert.equal(report.unexpectedFailures.length, 0);
  assert.ok(report.totals.pass > 40, formatReport(report));
});
