/** `cloneValue` copies exactly as `structuredClone` does: same values, same prototypes, same aliasing, same errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneValue } from '../../../src/stores/memory/clone.js';

/** Asserts that `cloneValue(value)` equals `structuredClone(value)` (prototypes included) and shares no object with `value`. */
function assertSameCopy(value: unknown, what: string): void {
  const copy = cloneValue(value);
  assert.deepStrictEqual(copy, structuredClone(value), what);
  const originals = new Set<unknown>();
  const collect = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || originals.has(v)) return;
    originals.add(v);
    for (const item of Object.values(v)) collect(item);
  };
  collect(value);
  const check = (v: unknown, seen = new Set<unknown>()): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    assert.ok(!originals.has(v), `${what}: the copy shares an object with the original`);
    for (const item of Object.values(v)) check(item, seen);
  };
  check(copy);
}

test('plain trees: tool results, outcomes, queued messages and odd but plain values copy as structuredClone copies them', () => {
  const cases: [string, unknown][] = [
    ['a tool result', { content: [{ type: 'text', text: 'hello' }], structuredContent: { n: 1, list: [1, 'two', null] }, isError: false }],
    ['an outcome', { kind: 'error', error: { code: -32603, message: 'boom', data: { nested: { deep: [[], {}] } } } }],
    ['a queued request', { type: 'request', message: { jsonrpc: '2.0', id: 'x-1', method: 'elicitation/create', params: { _meta: {} } }, timestamp: 1 }],
    ['undefined, -0, NaN, Infinity and bigint values', { u: undefined, z: -0, n: Number.NaN, i: Number.POSITIVE_INFINITY, b: 10n }],
    ['integer-like keys', { 2: 'b', 1: 'a', x: 'c', '-1': 'd' }],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { a: 1, b: { c: 2 } })],
    ['empty containers', { a: [], o: {} }],
    ['an array at the top', [1, { a: [2, 3] }, 'x']],
  ];
  for (const [what, value] of cases) assertSameCopy(value, what);
});

test('random JSON trees copy as structuredClone copies them', () => {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const tree = (depth: number): unknown => {
    const r = random();
    if (depth > 5 || r < 0.3) return [null, true, false, 0, -1.5, 'text', ''][Math.floor(random() * 7)];
    if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => tree(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`k${i}${Math.floor(random() * 3)}`, tree(depth + 1)]));
  };
  for (let i = 0; i < 300; i++) assertSameCopy({ root: tree(0) }, `random tree ${i}`);
});

test('what is not plain is copied by structuredClone itself: aliasing, cycles, holes, extra properties, __proto__ keys, class instances, deep trees', () => {
  const shared = { s: 1 };
  const aliased = cloneValue({ a: shared, b: shared });
  assert.equal(aliased.a, aliased.b, 'a shared object stays shared in the copy');
  assert.notEqual(aliased.a, shared);
  const cyclic: { self?: unknown; n: number } = { n: 1 };
  cyclic.self = cyclic;
  const cycleCopy = cloneValue(cyclic);
  assert.equal(cycleCopy.self, cycleCopy, 'a cycle stays a cycle');

  const holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const holesAndExtra = Object.assign([1, , 3], { x: 'extra' }); // eslint-disable-line no-sparse-arrays
  const extra = Object.assign([1, 2], { x: 'extra' });
  const protoKey = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
  let deep: unknown = 'bottom';
  for (let i = 0; i < 200; i++) deep = { next: deep };
  const cases: [string, unknown][] = [
    ['a sparse array', { holes }],
    ['a sparse array with an extra property', { holesAndExtra }],
    ['an array with an extra property', { extra }],
    ['a __proto__ key', protoKey],
    ['a Date, a Map, a Set, a RegExp, a typed array', { d: new Date(0), m: new Map([[1, { a: 1 }]]), s: new Set([1]), r: /x/g, t: new Uint8Array([1, 2]) }],
    ['a class instance', { instance: new (class Point { x = 1; y = 2; })() }],
    ['an Error', { error: new TypeError('bad') }],
    ['a tree deeper than the plain walk goes', deep],
  ];
  for (const [what, value] of cases) assert.deepStrictEqual(cloneValue(value), structuredClone(value), what);
  const copiedProto = cloneValue(protoKey);
  assert.equal(Object.getPrototypeOf(copiedProto), Object.prototype, 'a __proto__ key does not set the prototype');
  assert.ok(Object.hasOwn(copiedProto, '__proto__'));
  assert.ok(!(1 in cloneValue(holes)), 'a hole stays a hole');
});

test('values structuredClone refuses are refused with its error', () => {
  const refused: [string, unknown][] = [
    ['a function', { f: () => undefined }],
    ['a symbol', { s: Symbol('x') }],
    ['a proxy', { p: new Proxy({}, {}) }],
    ['a function at the top', () => undefined],
  ];
  for (const [what, value] of refused) {
    let expected: unknown;
    try {
      structuredClone(value);
    } catch (error) {
      expected = error;
    }
    assert.ok(expected instanceof Error, `${what}: structuredClone refuses it`);
    assert.throws(() => cloneValue(value), (error: unknown) => error instanceof Error && error.name === expected.name && error.message === expected.message, what);
  }
});

test('primitives at the top copy as themselves', () => {
  for (const value of [undefined, null, 0, 'x', true, 5n]) assert.equal(cloneValue(value), value);
});
