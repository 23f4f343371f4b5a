import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTerminal } from '../../src/core/status.js';

test('R28: completed, failed and cancelled are terminal', () => {
  for (const s of ['completed', 'failed', 'cancelled'] as const) {
    assert.equal(isTerminal(s), true);
  }
});

test('R27: working and input_required are not terminal', () => {
  for (const from of ['working', 'input_required'] as const) {
    assert.equal(isTerminal(from), false);
  }
});
