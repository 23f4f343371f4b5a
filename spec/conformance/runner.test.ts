import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  ALL_CHECKS,
  ConnectError,
  formatProgress,
  formatReport,
  parseBaseline,
  reportToJson,
  runConformance,
  selectChecks,
  type ProgressEvent,
  type Report,
  type RunOptions,
} from '../../conformance/index.js';
import { createFixtureServer, fixtureTarget, TaskWorld, type Breakage } from './servers/fixtureServer.js';
import { startHttpHost } from './servers/httpHost.js';

async function run(breakage: Breakage = {}, options: Partial<RunOptions> = {}): Promise<Report> {
  const target = fixtureTarget(breakage);
  try {
    return await runConformance({
      target: { connect: target.connect, name: 'fixture server', requestors: 'credentials' },
      checkTimeoutMs: 10_000,
      ...options,
    });
  } finally {
    await target.close();
  }
}

function outcome(report: Report, id: string): string | undefined {
  return report.results.find((r) => r.id === id)?.outcome;
}

test('a spec-following server passes every MUST and SHOULD check (in-memory, two credentials)', async () => {
  const events: ProgressEvent[] = [];
  const report = await run({}, { onProgress: (e) => events.push(e) });
  const bad = report.results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn' || r.outcome === 'info');
  assert.deepEqual(bad.map((r) => r.id), [], formatReport(report));
  assert.equal(report.unexpectedFailures.length, 0);
  assert.deepEqual(
    report.results.filter((r) => r.outcome === 'skip').map((r) => r.id),
    ['R35', 'R36'],
    'only the HTTP checks are skipped in memory',
  );
  assert.equal(report.results.length, ALL_CHECKS.length);
  assert.equal(events[0]?.type, 'connected');
  assert.equal(events.filter((e) => e.type === 'check-end').length, ALL_CHECKS.length);
  assert.match(formatProgress(events.at(-1)!) ?? '', /PASS|SKIP/);
  const json = JSON.parse(reportToJson(report)) as Report;
  assert.equal(json.results.length, ALL_CHECKS.length);
  for (const r of json.results) {
    if (r.outcome !== 'skip') assert.ok(r.expected.length > 0, `${r.id} states what it expected`);
  }
});

test('R13: a server answering a required tool without task with an isError result fails R13', async () => {
  const report = await run({ requiredAsIsError: true }, { only: ['R13', 'R10'] });
  assert.equal(outcome(report, 'R13'), 'fail');
  assert.equal(outcome(report, 'R10'), 'pass');
  assert.deepEqual(report.unexpectedFailures, ['R13']);
  assert.match(report.results[1]!.reasons.join(' ') + report.results[0]!.reasons.join(' '), /isError/);
});

test('R10: a server running a forbidden tool sent with task gets a warning', async () => {
  const report = await run({ forbiddenRuns: true }, { only: ['R10'] });
  assert.equal(outcome(report, 'R10'), 'warn');
  assert.deepEqual(report.unexpectedFailures, [], 'a SHOULD does not fail the run');
});

test('R49: a tasks/result that does not block fails R49', async () => {
  const report = await run({ nonBlockingResult: true }, { only: ['R49', 'R48'] });
  assert.equal(outcome(report, 'R49'), 'fail', formatReport(report));
  assert.equal(outcome(report, 'R48'), 'pass');
});

test('R57: no status notification on cancel is reported (informational, like TS SDK F3)', async () => {
  const report = await run({ noCancelNotification: true }, { only: ['R57'] });
  assert.equal(outcome(report, 'R57'), 'info');
});

test('parts a check cannot observe make it a skip with the reason, never a pass (R56, R57 and R71 without the hold/elicit fixtures, R23 refused)', async () => {
  const withoutHold = await run({ omitFixtures: ['tasks_conformance_hold', 'tasks_conformance_elicit'] }, { only: ['R56', 'R57', 'R62'] });
  for (const id of ['R56', 'R57']) {
    assert.equal(outcome(withoutHold, id), 'skip', formatReport(withoutHold));
    assert.match(withoutHold.results.find((r) => r.id === id)!.reasons[0]!, /not fully observable, so not passed: .*no hold fixture/);
  }
  const refused = await run({ refuseMinuteTasks: true }, { only: ['R23'] });
  assert.equal(outcome(refused, 'R23'), 'skip', formatReport(refused));
  assert.match(refused.results[0]!.reasons[0]!, /refused the call .*-32602/);
  // sanity: the same checks pass on the whole server
  const whole = await run({}, { only: ['R56', 'R57', 'R23', 'R71'] });
  for (const id of ['R56', 'R57', 'R23', 'R71']) assert.equal(outcome(whole, id), 'pass', formatReport(whole));
});

test('R71: a server that never shows input_required (a SHOULD, R29) is not failed by the cancel check', async () => {
  const report = await run({ noInputRequired: true }, { only: ['R71'] });
  assert.equal(outcome(report, 'R71'), 'skip', formatReport(report));
  assert.match(report.results[0]!.reasons[0]!, /never showed input_required/);
});

test('R70: a malformed taskId (a number, null, an object) answered with -32603 instead of -32602 fails R70', async () => {
  const report = await run({ badParamsInternal: true }, { only: ['R70'] });
  assert.equal(outcome(report, 'R70'), 'fail', formatReport(report));
  assert.match(report.results[0]!.reasons.join(' '), /\{"taskId":42\} did not give -32602/);
});

test('R76: an internal error (a plain exception) must be -32603, plainly and through tasks/result', async () => {
  assert.equal(outcome(await run({}, { only: ['R76'] }), 'R76'), 'pass');
  const report = await run({ internalErrorCode: -32000 }, { only: ['R76'] });
  assert.equal(outcome(report, 'R76'), 'fail', formatReport(report));
  assert.match(report.results[0]!.reasons.join(' '), /plain call did not give -32603/);
});

test('R39: a lastUpdatedAt that does not move when the status changes fails R39', async () => {
  const report = await run({ frozenLastUpdatedAt: true }, { only: ['R39'] });
  assert.equal(outcome(report, 'R39'), 'fail', formatReport(report));
  assert.match(report.results[0]!.reasons[0]!, /lastUpdatedAt stayed .* when the status changed to completed/);
});

test('R41: a task dropped long before its reported ttl fails R41', async () => {
  const report = await run({ expireEarlyMs: 300 }, { only: ['R41'] });
  assert.equal(outcome(report, 'R41'), 'fail', formatReport(report));
  assert.match(report.results[0]!.reasons[0]!, /gone 1500 ms after its creation although its reported ttl is 4000 ms/);
});

test('G15: cancelling a pending tasks/result that also cancels its task fails G15', async () => {
  const report = await run({ cancelTaskWithResult: true }, { only: ['G15'] });
  assert.equal(outcome(report, 'G15'), 'fail', formatReport(report));
  assert.equal(outcome(await run({}, { only: ['G15'] }), 'G15'), 'pass');
});

test('R32: a task that stays input_required after its question was answered gets a warning (a SHOULD)', async () => {
  assert.equal(outcome(await run({}, { only: ['R32'] }), 'R32'), 'pass');
  const report = await run({ stayInputRequired: true }, { only: ['R32'] });
  assert.equal(outcome(report, 'R32'), 'warn', formatReport(report));
  assert.match(report.results[0]!.reasons[0]!, /stayed input_required for 1 s after its question was answered/);
});

test('R10, R13: a refused call that ran the tool anyway is caught through the fixtures\' count option', async () => {
  const whole = await run({}, { only: ['R10', 'R13'] });
  for (const id of ['R10', 'R13']) assert.equal(outcome(whole, id), 'pass', formatReport(whole));
  const report = await run({ refusedRuns: true }, { only: ['R10', 'R13'] });
  assert.equal(outcome(report, 'R10'), 'warn', formatReport(report));
  assert.equal(outcome(report, 'R13'), 'fail', formatReport(report));
  for (const result of report.results) assert.match(result.reasons[0]!, /ran the tool anyway/);
});

test('R62: a progress notification arriving right after the task ended fails R62 (arrival order, no time margin in memory)', async () => {
  assert.equal(outcome(await run({}, { only: ['R62'] }), 'R62'), 'pass');
  const report = await run({ progressAfterEnd: true }, { only: ['R62'] });
  assert.equal(outcome(report, 'R62'), 'fail', formatReport(report));
  assert.match(report.results[0]!.reasons[0]!, /progress notification\(s\) after the task completed/);
});

test('R71: a cancelled task whose work goes on to its end (progress or not) gets the SHOULD warning', async () => {
  const report = await run({ cancelKeepsWorking: true }, { only: ['R71'] });
  assert.equal(outcome(report, 'R71'), 'warn', formatReport(report));
  assert.match(report.results[0]!.reasons.join(' '), /cancelled work went on to its end/);
});

test('R81: a task failed by an internal error (a plain exception) without a statusMessage gets the SHOULD warning', async () => {
  assert.equal(outcome(await run({}, { only: ['R81'] }), 'R81'), 'pass');
  const report = await run({ internalErrorSilent: true }, { only: ['R81'] });
  assert.equal(outcome(report, 'R81'), 'warn', formatReport(report));
});

test('R84: guessable sequential task ids fail R84', async () => {
  const report = await run({ sequentialIds: true }, { only: ['R84'] });
  assert.equal(outcome(report, 'R84'), 'fail', formatReport(report));
  assert.match(report.results[0]!.reasons.join(' '), /bits/);
});

test('R87/R6: a server without tasks.list is checked for tasks/list failing, list checks skipped', async () => {
  const report = await run({ noList: true }, { only: ['R6', 'R63', 'R64', 'R86'] });
  assert.equal(outcome(report, 'R6'), 'pass');
  for (const id of ['R63', 'R64', 'R86']) {
    assert.equal(outcome(report, id), 'skip');
    assert.match(report.results.find((r) => r.id === id)!.reasons[0]!, /tasks\.list/);
  }
});

test('checks whose fixture is absent or declared differently are skipped with the reason, never passed', async () => {
  const report = await run(
    { omitFixtures: ['tasks_conformance_elicit', 'tasks_conformance_sample'], wrongSupport: 'tasks_conformance_hold' },
    { only: ['R29', 'R30', 'R16', 'R7'] },
  );
  for (const id of ['R29', 'R30']) {
    const r = report.results.find((x) => x.id === id)!;
    assert.equal(r.outcome, 'skip');
    assert.match(r.reasons[0]!, /tasks_conformance_elicit is absent/);
  }
  const r16 = report.results.find((x) => x.id === 'R16')!;
  assert.equal(r16.outcome, 'skip');
  assert.match(r16.reasons[0]!, /declares taskSupport 'forbidden'/);
  assert.equal(outcome(report, 'R7'), 'pass');
});

test('isolation checks are skipped with a reason when no second requestor exists', async () => {
  const target = fixtureTarget();
  try {
    const report = await runConformance({ target: { connect: target.connect }, only: ['R82', 'R85', 'R86'] });
    for (const r of report.results) {
      assert.equal(r.outcome, 'skip');
      assert.match(r.reasons[0]!, /second requestor/);
    }
  } finally {
    await target.close();
  }
});

test('R82/R85/R86: a server that does not bind tasks to the requestor fails isolation', async () => {
  const world = new TaskWorld();
  const { InMemoryTransport } = await import('@modelcontextprotocol/sdk/inMemory.js');
  const connect = async () => {
    const [c, s] = InMemoryTransport.createLinkedPair();
    await createFixtureServer(world, 'everyone').connect(s);
    return c;
  };
  try {
    const report = await runConformance({ target: { connect, requestors: 'credentials' }, only: ['R82', 'R85', 'R86'] });
    for (const id of ['R82', 'R85', 'R86']) assert.equal(outcome(report, id), 'fail', formatReport(report));
  } finally {
    world.close();
  }
});

test('a baseline excuses listed failures and reports listed checks that pass as stale', async () => {
  const baseline = parseBaseline('expected-failures:\n  R13: fail\n  R48: fail\n');
  const report = await run({ requiredAsIsError: true }, { only: ['R13', 'R48'], baseline });
  assert.deepEqual(report.unexpectedFailures, []);
  assert.equal(report.results.find((r) => r.id === 'R13')!.baseline, 'expected');
  assert.equal(report.results.find((r) => r.id === 'R48')!.baseline, 'stale');
  assert.deepEqual(report.staleBaseline, ['R48']);
  const text = formatReport(report);
  assert.match(text, /Stale baseline entries .*R48/);
  assert.match(text, /Known failures listed in the baseline: R13/);
  assert.match(text, /RESULT: OK/);
});

test('selectChecks: --only / --skip and unknown IDs', () => {
  assert.deepEqual(selectChecks(ALL_CHECKS, ['R13', 'R50']).map((c) => c.id), ['R13', 'R50']);
  assert.ok(!selectChecks(ALL_CHECKS, undefined, ['R13']).some((c) => c.id === 'R13'));
  assert.throws(() => selectChecks(ALL_CHECKS, ['R999']), /unknown check ID: R999/);
});

test('every check is keyed by a requirement ID of docs/requirements.md (R… or G…), once, with a keyword', () => {
  const ids = ALL_CHECKS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  const catalogue = readFileSync(new URL('../../../docs/requirements.md', import.meta.url), 'utf8');
  for (const c of ALL_CHECKS) {
    assert.match(c.id, /^[RG]\d+$/);
    assert.match(catalogue, new RegExp(`^\\| ${c.id} \\|`, 'm'), `${c.id} is in docs/requirements.md`);
    assert.ok(['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY', 'schema', 'stmt'].includes(c.keyword));
  }
});

test('a target that cannot connect gives a ConnectError', async () => {
  await assert.rejects(
    runConformance({ target: { connect: () => Promise.reject(new Error('nope')), name: 'broken' } }),
    (e: unknown) => e instanceof ConnectError && /cannot connect to broken: nope/.test(e.message),
  );
  await assert.rejects(runConformance({ target: { url: 'not a url' } }), ConnectError);
  await assert.rejects(runConformance({ target: { url: 'http://127.0.0.1:9/mcp' } }), ConnectError);
  await assert.rejects(runConformance({ target: { command: 'definitely-not-a-command-xyz --stdio' } }), ConnectError);
});

test('over Streamable HTTP (SSE and JSON responses, two sessions): HTTP checks run', async () => {
  for (const jsonResponse of [false, true]) {
    const world = new TaskWorld();
    const host = await startHttpHost((owner) => createFixtureServer(world, owner), { jsonResponse });
    try {
      const report = await runConformance({ target: { url: host.url }, only: ['R35', 'R36', 'R82', 'R85', 'R86', 'R30', 'R49', 'R62'] });
      assert.equal(report.transport, 'http');
      // The SDK's transport answers every POST with SSE unless JSON responses are on (R35).
      assert.equal(outcome(report, 'R35'), jsonResponse ? 'pass' : 'warn', formatReport(report));
      for (const id of ['R36', 'R82', 'R85', 'R86', 'R30', 'R49', 'R62']) assert.equal(outcome(report, id), 'pass', formatReport(report));
    } finally {
      world.close();
      await host.close();
    }
  }
});
