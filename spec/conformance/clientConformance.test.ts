import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CLIENT_CHECKS, formatReport, parseBaseline, runClientConformance, type ClientDriver, type Report } from '../../conformance/index.js';
import { extTasksV1Driver, sdkStreamDriver, taskClientDriver } from './clients/drivers.js';
import { misbehavingDriver } from './clients/misbehaving.js';

const baseline = (file: string) => parseBaseline(readFileSync(new URL(`../../../conformance/baselines/${file}`, import.meta.url), 'utf8'));

function run(driver: ClientDriver, only?: string[], file?: string): Promise<Report> {
  return runClientConformance({ client: { driver, name: 'test driver' }, scenarioTimeoutMs: 8_000, ...(only ? { only } : {}), ...(file ? { baseline: baseline(file) } : {}) });
}

const outcomes = (report: Report): Record<string, string> => Object.fromEntries(report.results.map((r) => [r.id, r.outcome]));

test("this project's TaskClient passes every client check, none skipped", async () => {
  const report = await run(taskClientDriver);
  assert.equal(report.side, 'client');
  assert.deepEqual(report.server, { name: 'mcp-tasks TaskClient', version: '0.1.0' });
  assert.deepEqual(report.results.filter((r) => r.outcome !== 'pass').map((r) => `${r.id}: ${r.reasons.join(' ')}`), [], formatReport(report));
  assert.equal(report.results.length, CLIENT_CHECKS.length);
});

test('the SDK 1.32 client (callToolStream) matches its baseline: no tasks/result for a failed task (R17), no related-task _meta on its answers (R33)', async () => {
  const report = await run(sdkStreamDriver, undefined, 'sdk-1.32.2-client-callToolStream.yaml');
  const o = outcomes(report);
  assert.equal(o.R17, 'fail');
  assert.equal(o.R33, 'fail');
  assert.equal(o.R12, 'pass', 'a listed required tool goes as a task');
  assert.deepEqual([report.unexpectedFailures, report.staleBaseline], [[], []], formatReport(report));
});

test('the official requester ext-tasks 0.2.2 core/v1 matches its baseline: R31 warns; R17, R26, R51, R69, R70 fail', async () => {
  const report = await run(extTasksV1Driver, undefined, 'ext-tasks-0.2.2-core-v1-client.yaml');
  const o = outcomes(report);
  assert.equal(o.R31, 'warn', formatReport(report));
  for (const id of ['R17', 'R26', 'R51', 'R69', 'R70']) assert.equal(o[id], 'fail', id);
  assert.match(report.results.find((r) => r.id === 'R26')!.reasons[0]!, /began in "input_required"/);
  assert.deepEqual([report.unexpectedFailures, report.staleBaseline], [[], []], formatReport(report));
});

test('each client check catches its misbehaviour (R2, R3, R8, R9, R12, R44, R45)', async () => {
  const cases: Array<[Parameters<typeof misbehavingDriver>[0], string[], Record<string, string>]> = [
    [{ alwaysTask: true }, ['R3', 'R8', 'R9'], { R3: 'warn', R8: 'fail', R9: 'fail' }],
    [{ neverTask: true }, ['R12'], { R12: 'fail' }],
    [{ pollEveryMs: 20 }, ['R44'], { R44: 'warn' }],
    [{ pollAfterEnd: 3 }, ['R45'], { R45: 'warn' }],
    [{ stopEarly: true }, ['R45'], { R45: 'warn' }],
    [{ capabilities: { elicitation: {}, tasks: { list: true } } }, ['R2'], { R2: 'fail' }],
  ];
  for (const [wrong, only, expected] of cases) {
    const report = await run(misbehavingDriver(wrong), only);
    assert.deepEqual(outcomes(report), expected, `${JSON.stringify(wrong)}\n${formatReport(report)}`);
  }
  const polite = await run(misbehavingDriver({}), ['R3', 'R8', 'R9', 'R12', 'R44', 'R45']);
  assert.deepEqual(Object.values(outcomes(polite)), ['pass', 'pass', 'pass', 'pass', 'pass', 'pass'], formatReport(polite));
});

test('a client that never connects makes its checks skip with the reason, never pass', async () => {
  const report = await run(async () => {
    throw new Error('no route to the server');
  }, ['R12', 'R9']);
  for (const r of report.results) {
    assert.equal(r.outcome, 'skip');
    assert.match(r.reasons[0]!, /never connected .*the driver failed: no route to the server/);
  }
});
