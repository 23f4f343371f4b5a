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

test('parseBaseline reads the documented YAML subset', () => {
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
      '  - R50',
      '  R81:',
    ].join('\r\n'),
  );
  assert.deepEqual(b.meta, { server: 'sdk # not a comment', recorded: '2026-11-21' });
  assert.deepEqual([...b.expected], [['R13', 'fail'], ['R10', 'warn'], ['R57', 'info'], ['R50', 'any'], ['R81', 'any']]);
  assert.equal(parseBaseline('expected-failures: {}\n').expected.size, 0);
  assert.equal(parseBaseline('').expected.size, 0);
});

test('parseBaseline rejects anything outside the subset, with the line number', () => {
  const cases: Array<[string, RegExp]> = [
    ['just text', /line 1: expected 'key: value'/],
    ['  R13: fail', /line 1: unexpected indentation/],
    ['expected-failures: R13', /line 1: expected-failures takes an indented block/],
    ['expected-failures:\n  R13 fail', /line 2: expected 'ID: outcome'/],
    ['expected-failures:\n  banana: fail', /line 2: 'banana' is not a requirement ID/],
    ['expected-failures:\n  R13: maybe', /line 2: outcome 'maybe'/],
    ['expected-failures:\n  R13: fail\n  R13: warn', /line 3: R13 is listed twice/],
    ['expected-failures:\n\tR13: fail', /line 2: tabs/],
    ['server: "open', /line 1: unterminated quote/],
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
