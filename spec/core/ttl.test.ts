import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TTL_POLICY, expiresAt, resolveTtl, ttlPolicy } from '../../src/core/ttl.js';

test('R40/R41: absent ttl gets the default, numbers are clamped to [min, max]', () => {
  const p = ttlPolicy({ defaultTtl: 5_000, maxTtl: 60_000, minTtl: 1_000 });
  assert.equal(resolveTtl(undefined, p), 5_000);
  assert.equal(resolveTtl(Number.NaN, p), 5_000);
  assert.equal(resolveTtl(999_999_999, p), 60_000);
  assert.equal(resolveTtl(10, p), 1_000);
  assert.equal(resolveTtl(-5, p), 1_000);
  assert.equal(resolveTtl(2_000.2, p), 2_001);
});

test('R41: null asks for unlimited: max when capped, null when the policy allows it', () => {
  assert.equal(resolveTtl(null, ttlPolicy()), DEFAULT_TTL_POLICY.maxTtl);
  assert.equal(resolveTtl(Number.POSITIVE_INFINITY, ttlPolicy()), DEFAULT_TTL_POLICY.maxTtl);
  const unlimited = ttlPolicy({ maxTtl: null });
  assert.equal(resolveTtl(null, unlimited), null);
  assert.equal(resolveTtl(10 ** 12, unlimited), 10 ** 12);
});

test('a policy is checked when it is made', () => {
  assert.throws(() => ttlPolicy({ minTtl: -1 }), RangeError);
  assert.throws(() => ttlPolicy({ minTtl: 10, defaultTtl: 5 }), RangeError);
  assert.throws(() => ttlPolicy({ defaultTtl: 10, maxTtl: 5 }), RangeError);
  assert.throws(() => ttlPolicy({ maxTtl: 1.5 }), RangeError);
  assert.deepEqual(ttlPolicy(), { ...DEFAULT_TTL_POLICY });
});

test('R42: expiry counts from creation', () => {
  assert.equal(expiresAt(1_000, 500), 1_500);
  assert.equal(expiresAt(1_000, null), null);
});
