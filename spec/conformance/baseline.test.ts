import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBaseline, BaselineError, formatBaseline, parseBaseline, type Report } from '../../conformance/index.js';

function report(outcomes: Record<string, string>): Report {
  return {
    target: 't',
    transport: 'memory',
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
    results: Object.entries(outcomes).map(([id, outcome]) => ({
      id,
      title: `check ${id}`,
      section: 'S',
      keyword: 'MUST',
      severity: 'failure',
      outcome: outcome as Report['results'][number]['outcome'],
      tools: [],
      reasons: outcome === 'pass' ? [] : [`[failure] ${id} went wrong   badly`],
      sent: [],
      expected: [],
      saw: [],
      durationMs: 1,
    })),
    totals: { pass: 0, fail: 0, warn: 0, info: 0, skip: 0 },
    unexpectedFailures: [],
    staleBaseline: [],
  };
}

test('parseBaseline reads YAML: scalars, expected-failures as a mapping or a list, and the official suite\'s server list', () => {
  const b = parseBaseline(
    [
      '# comment line',
      'server: "sdk # not a comment"   # trailing comment',
      "recorded: '2026-11-21'",
      '',
      'expected-failures:',
      '  R13: fail   # F1',
      '  R10: warn',
      '  "R57": info',
      '  R81:',
    ].join('\r\n'),
  );
  assert.deepEqual(b.meta, { server: 'sdk # not a comment', recorded: '2026-11-21' });
  assert.deepEqual([...b.expected], [['R13', 'fail'], ['R10', 'warn'], ['R57', 'info'], ['R81', 'any']]);
  assert.deepEqual([...parseBaseline('expected-failures: [R50, R51]').expected], [['R50', 'any'], ['R51', 'any']]);
  assert.deepEqual([...parseBaseline('expected-failures:\n  - R50\n').expected], [['R50', 'any']]);
  assert.equal(parseBaseline('expected-failures: {}\n').expected.size, 0);
  assert.equal(parseBaseline('').expected.size, 0);
  // one file for both tools: the official suite's `server` list (scenario or scenario:check), our IDs among it count too
  const shared = parseBaseline('server:\n  - tasks-lifecycle\n  - tasks-mrtr-input:tasks-mrtr-partial-fulfillment\n  - R57\nclient:\n  - sse-retry\nexpected-failures:\n  R13: fail\n');
  assert.deepEqual(shared.official, ['tasks-lifecycle', 'tasks-mrtr-input:tasks-mrtr-partial-fulfillment']);
  assert.deepEqual([...shared.expected], [['R57', 'any'], ['R13', 'fail']]);
  assert.deepEqual(shared.meta, {});
});

test('parseBaseline rejects what it cannot take, with the line number', () => {
  const cases: Array<[string, RegExp]> = [
    ['just text', /line 1: expected 'key: value'/],
    ['  R13: fail', /line 1: R13 is a check ID: list it under expected-failures/],
    ['expected-failures: R13', /line 1: expected-failures takes a mapping \(ID: outcome\) or a list of IDs/],
    ['expected-failures:\n  R13 fail', /line 2: expected-failures takes a mapping/],
    ['expected-failures:\n  R13: [fail]', /line 2: R13: the outcome must be a word/],
    ['recorded:\n  - a', /line 2: recorded takes a single value/],
    ['expected-failures:\n  banana: fail', /line 2: 'banana' is not a requirement ID/],
    ['expected-failures:\n  R13: maybe', /line 2: outcome 'maybe'/],
    ['expected-failures:\n  R13: fail\n  R13: warn', /line 3: R13 is listed twice/],
    ['expected-failures:\n\tR13: fail', /line 2: .*[Tt]ab/],
    ['server: "open', /line 1: Missing closing "quote/],
  ];
  for (const [text, message] of cases) assert.throws(() => parseBaseline(text), (e: unknown) => e instanceof BaselineError && message.test(e.message), text);
});

test('applyBaseline: listed failures are expected, listed passes are stale, skips are neither', () => {
  const r = report({ R1: 'fail', R2: 'pass', R3: 'skip', R4: 'fail', R5: 'warn' });
  applyBaseline(r, parseBaseline('expected-failures:\n  R1: fail\n  R2: fail\n  R3: fail\n'));
  assert.deepEqual(r.unexpectedFailures, ['R4']);
  assert.deepEqual(r.staleBaseline, ['R2']);
  assert.equal(r.results[0]!.baseline, 'expected');
  assert.equal(r.results[2]!.baseline, undefined);
  assert.deepEqual(r.totals, { pass: 1, fail: 2, warn: 1, info: 0, skip: 1 });
  applyBaseline(r);
  assert.deepEqual(r.unexpectedFailures, ['R1', 'R4']);
});

test('formatBaseline writes a file parseBaseline reads back', () => {
  const r = report({ R1: 'fail', R2: 'pass', R5: 'warn' });
  const text = formatBaseline(r, { server: 'x "quoted"' });
  const back = parseBaseline(text);
  assert.deepEqual([...back.expected], [['R1', 'fail'], ['R5', 'warn']]);
  assert.equal(back.meta.server, 'x "quoted"');
  assert.match(text, /R1: fail {3}# R1 went wrong badly/);
  assert.equal(parseBaseline(formatBaseline(report({ R2: 'pass' }))).expected.size, 0);
});
