import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor } from '../../src/core/cursor.js';
import { InvalidCursorError } from '../../src/core/errors.js';

test('R67: cursors round-trip positions and are opaque strings', () => {
  for (const n of [0, 1, 35, 36, 123_456, Number.MAX_SAFE_INTEGER]) {
    const c = encodeCursor(n);
    assert.match(c, /^[A-Za-z0-9_-]+$/);
    assert.equal(decodeCursor(c), n);
  }
  assert.throws(() => encodeCursor(-1), RangeError);
  assert.throws(() => encodeCursor(1.5), RangeError);
});

test('R64: anything this library did not issue is an InvalidCursorError', () => {
  const good = encodeCursor(42);
  const tampered = Buffer.from(Buffer.from(good, 'base64url').toString().replace('.16.', '.17.')).toString('base64url');
  const bad = ['', 'garbage', 'x'.repeat(65), tampered, `${good}=`, Buffer.from('c1.zz.abcdefgh').toString('base64url'),
    Buffer.from('c2.1.abcdefgh').toString('base64url'), Buffer.from('c1.-1.abcdefgh').toString('base64url'),
    Buffer.from(`c1.${'z'.repeat(20)}.x`).toString('base64url')];
  for (const cursor of bad) assert.throws(() => decodeCursor(cursor), InvalidCursorError, cursor);
  assert.throws(() => decodeCursor(42 as unknown as string), InvalidCursorError);
});
