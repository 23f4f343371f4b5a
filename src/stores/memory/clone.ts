/**
 * The copies the in-memory backends store and hand out: what `structuredClone` makes, without its
 * serializer round trip for what they hold nearly always — trees of plain objects, dense arrays
 * and primitives. Anything else (a class instance, `Date`, `Map`, typed array, proxy, function or
 * symbol, a shared or cyclic reference, a sparse array or one with extra properties, a
 * `__proto__` key, a very deep tree) is left to `structuredClone` itself, errors included.
 */
import { types } from 'node:util';

/** Deeper trees are left to `structuredClone`. */
const MAX_DEPTH = 64;

/** Returned by the plain walk for a value it leaves to `structuredClone`. */
const NOT_PLAIN: unique symbol = Symbol('not plain');

/** A copy of `value` as `structuredClone(value)` makes it (and its errors for values it cannot copy). */
export function cloneValue<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return structuredClone(value);
  const copy = plainCopy(value, new Set(), 0);
  return copy === NOT_PLAIN ? structuredClone(value) : (copy as T);
}

/** The copy of a plain tree, or {@link NOT_PLAIN} as soon as something in it is not plain. */
function plainCopy(value: unknown, seen: Set<object>, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'function' || typeof value === 'symbol' ? NOT_PLAIN : value;
  }
  // a second visit is a shared or cyclic reference, which structuredClone keeps as such
  if (depth >= MAX_DEPTH || seen.has(value) || types.isProxy(value)) return NOT_PLAIN;
  seen.add(value);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Array.prototype && Array.isArray(value)) return arrayCopy(value, seen, depth);
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // assigning `__proto__` would set the prototype instead of making the property
    if (key === '__proto__') return NOT_PLAIN;
    const item = plainCopy((value as Record<string, unknown>)[key], seen, depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    copy[key] = item;
  }
  return copy;
}

/** The copy of a dense array without other properties, else {@link NOT_PLAIN}. */
function arrayCopy(value: unknown[], seen: Set<object>, depth: number): unknown {
  const { length } = value;
  const keys = Object.keys(value);
  // index keys come first, in order: any hole or extra property shows in the count or the last key
  if (keys.length !== length || (length > 0 && keys[length - 1] !== String(length - 1))) return NOT_PLAIN;
  const copy: unknown[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const item = plainCopy(value[i], seen, depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    copy[i] = item;
  }
  return copy;
}
