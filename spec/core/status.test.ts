import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canTransition, isTerminal } from '../../src/core/status.js';

test('R28: terminal statuses never change', () => {
  for (const s of ['completed', 'failed', 'cancelled'] as const) {
    assert.equal(isTerminal(s), true);
    assert.equal(canTransition(s, 'working'), false);
    assert.equal(canTransition(s, s), true);
  }
});

test('R27: non-terminal statuses may move anywhere', () => {
  for (const from of ['working', 'input_required'] as const) {
    assert.equal(isTerminal(from), false);
    for (const to of ['working', 'input_required', 'completed', 'failed', 'cancelled'] as const) {
      assert.equal(canTransition(from, to), true);
    }
  }
});
