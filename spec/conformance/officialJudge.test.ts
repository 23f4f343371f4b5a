/** How official-suite runs are judged against the baseline's `server` entries (the official suite's own rules). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge, scenarioPassed, type OfficialScenarioRun } from '../../conformance/index.js';

const run = (statuses: Record<string, 'SUCCESS' | 'FAILURE' | 'WARNING'>): OfficialScenarioRun => ({
  scenario: 's',
  checks: [...Object.entries(statuses).map(([id, status]) => ({ id, name: id, status })), { id: 'wire-schema-valid', name: 'w', status: 'SUCCESS' }],
});

test('official baseline entries: a listed scenario or check may fail; a listed one that passes is stale; an unlisted failure is unexpected', () => {
  const failing = run({ a: 'SUCCESS', b: 'FAILURE', c: 'WARNING' });
  assert.equal(scenarioPassed(failing), false);
  assert.deepEqual(judge(failing, []).unexpected, ['s / b: ']);
  assert.deepEqual(judge(failing, ['s:b']), { unexpected: [], stale: [] });
  assert.deepEqual(judge(failing, ['s']), { unexpected: [], stale: [] });
  assert.deepEqual(judge(failing, ['s:a']), { unexpected: ['s / b: '], stale: ['s:a'] });
  assert.deepEqual(judge(failing, ['other']).unexpected.length, 1);
  const passing = run({ a: 'SUCCESS' });
  assert.equal(scenarioPassed(passing), true);
  assert.deepEqual(judge(passing, ['s']), { unexpected: [], stale: ['s'] });
  // a run that produced nothing is unexpected unless the whole scenario is listed
  const broken: OfficialScenarioRun = { scenario: 's', checks: [], problem: 'timed out' };
  assert.deepEqual(judge(broken, []).unexpected, ['s: timed out']);
  assert.deepEqual(judge(broken, ['s']).unexpected, []);
});
