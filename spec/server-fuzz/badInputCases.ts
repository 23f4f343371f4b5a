/**
 * Generators of malformed `tasks/*` and task-augmented `tools/call` requests for the bad-input
 * fuzz test, each with the JSON-RPC error code it must get. Deterministic for a given seed.
 */

/** A small seeded PRNG (mulberry32). */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A random string: printable, unicode, control characters or very long. */
  string(): string {
    switch (this.int(6)) {
      case 0:
        return '';
      case 1:
        return Array.from({ length: 1 + this.int(40) }, () => String.fromCharCode(32 + this.int(95))).join('');
      case 2:
        return Array.from({ length: 1 + this.int(10) }, () => this.pick(['🙂', 'ü', '漢', '\u0000', '\u202e', '\ud800', '\n', '"', '\\'])).join('');
      case 3:
        return 'x'.repeat(1_000 + this.int(20_000));
      case 4:
        return Array.from({ length: 32 }, () => this.int(16).toString(16)).join('');
      default:
        return this.pick(['null', 'undefined', '0', '-1', 'NaN', '../../etc/passwd', "' OR 1=1 --", '{}', '[]', 'task-1']);
    }
  }
}

/** What a case must get back. */
export type Expectation =
  | { kind: 'error'; code: number }
  /** Well-typed but odd `ttl`: the receiver may override it (R40): a task with a sane `ttl`, or -32602. */
  | { kind: 'ttl' };

export interface FuzzCase {
  category: string;
  method: string;
  /** `params`, or {@link OMIT} for a request without `params`. */
  params: unknown;
  /** Extra top-level members of the request object (envelope cases). */
  envelope?: Record<string, unknown>;
  expect: Expectation;
}

export const OMIT = Symbol('omit params');

const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;

const TASK_ID_METHODS = ['tasks/get', 'tasks/result', 'tasks/cancel'] as const;
const KNOWN_METHODS = new Set(['tasks/get', 'tasks/result', 'tasks/cancel', 'tasks/list', 'tools/call', 'tools/list', 'initialize', 'ping']);
const RELATED_TASK = 'io.modelcontextprotocol/related-task';

/** Fixture tools with valid arguments, and their `taskSupport`. */
const FIXTURE_CALLS: ReadonlyArray<{ name: string; args: Record<string, unknown>; support: 'optional' | 'required' | 'forbidden' }> = [
  { name: 'tasks_conformance_optional', args: { text: 'a' }, support: 'optional' },
  { name: 'tasks_conformance_required', args: { text: 'b' }, support: 'required' },
  { name: 'tasks_conformance_forbidden', args: { text: 'c' }, support: 'forbidden' },
  { name: 'tasks_conformance_tool_error', args: { message: 'd' }, support: 'optional' },
  { name: 'tasks_conformance_protocol_error', args: { code: -32000, message: 'e' }, support: 'optional' },
  { name: 'tasks_conformance_elicit', args: { message: 'f' }, support: 'required' },
  { name: 'tasks_conformance_sample', args: { prompt: 'g' }, support: 'required' },
  { name: 'tasks_conformance_progress', args: { steps: 1 }, support: 'optional' },
  { name: 'tasks_conformance_hold', args: { holdMs: 1 }, support: 'optional' },
  { name: 'tasks_conformance_stubborn', args: { holdMs: 1 }, support: 'optional' },
];

/** Arguments that do not match a fixture's input (wrong type, missing, out of range). */
const BAD_FIXTURE_ARGS: ReadonlyArray<{ name: string; args: Record<string, unknown> }> = [
  { name: 'tasks_conformance_optional', args: {} },
  { name: 'tasks_conformance_optional', args: { text: 5 } },
  { name: 'tasks_conformance_optional', args: { text: 'a', delayMs: -1 } },
  { name: 'tasks_conformance_optional', args: { text: 'a', delayMs: 'soon' } },
  { name: 'tasks_conformance_optional', args: { text: 'a', delayMs: 1.5 } },
  { name: 'tasks_conformance_optional', args: { text: 'a', delayMs: 1e12 } },
  { name: 'tasks_conformance_required', args: { text: null } },
  { name: 'tasks_conformance_required', args: { text: ['a'] } },
  { name: 'tasks_conformance_tool_error', args: { message: {} } },
  { name: 'tasks_conformance_protocol_error', args: { code: 'x', message: 'm' } },
  { name: 'tasks_conformance_protocol_error', args: { code: 1.5, message: 'm' } },
  { name: 'tasks_conformance_protocol_error', args: { message: 'm' } },
  { name: 'tasks_conformance_elicit', args: { message: 7 } },
  { name: 'tasks_conformance_sample', args: {} },
  { name: 'tasks_conformance_progress', args: { steps: -1 } },
  { name: 'tasks_conformance_progress', args: { steps: 'many' } },
  { name: 'tasks_conformance_progress', args: { steps: 1e9 } },
  { name: 'tasks_conformance_hold', args: {} },
  { name: 'tasks_conformance_hold', args: { holdMs: -5 } },
  { name: 'tasks_conformance_stubborn', args: { holdMs: true } },
];

/** Values of the wrong type for a string field. */
function notAString(rng: Rng): unknown {
  return rng.pick<unknown>([0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER, null, true, false, [], ['id'], {}, { taskId: 'x' }, [[]], { length: 1 }]);
}

/** Values that are not a `task` object. */
function notATaskObject(rng: Rng): unknown {
  return rng.pick<unknown>(['x', '', 0, 60_000, -1, true, null, [], [{}], [{ ttl: 1000 }]]);
}

/** `task` objects whose `ttl` has the wrong type. */
function badTtlType(rng: Rng): unknown {
  return {
    ttl: rng.pick<unknown>(['1000', '', null, true, {}, [], [1000], Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]),
  };
}

function randomFixture(rng: Rng) {
  return rng.pick(FIXTURE_CALLS);
}

function unknownTaskId(rng: Rng, knownIds: readonly string[]): string {
  const known = knownIds.length > 0 ? rng.pick(knownIds) : 'abc';
  return rng.pick([
    () => rng.string(),
    () => `${known}x`,
    () => known.slice(1),
    () => known.toUpperCase(),
    () => ` ${known}`,
    () => `${known}\u0000`,
    () => crypto.randomUUID(),
  ])();
}

/** Generators of the categories every server with tasks must handle (well-formed JSON-RPC envelopes). */
export function paramsCases(knownIds: readonly string[], terminalIds: readonly string[]): Array<(rng: Rng) => FuzzCase> {
  return [
    // Unknown tasks/* methods → -32601.
    (rng) => {
      let method: string;
      do {
        method = rng.pick([
          () => rng.pick(['tasks/delete', 'tasks/update', 'tasks/create', 'tasks', 'tasks/', 'tasks/get/', 'TASKS/GET', 'tasks/Get', 'tasks/results', 'tasks/lists', 'tasks/cancel ', 'tasks/status', 'tasks//get']),
          () => `tasks/${rng.string().slice(0, 30)}`,
        ])();
      } while (KNOWN_METHODS.has(method));
      return { category: 'unknown tasks/* method', method, params: rng.chance(0.5) ? { taskId: rng.string().slice(0, 50) } : OMIT, expect: { kind: 'error', code: METHOD_NOT_FOUND } };
    },
    // tasks/get|result|cancel without params or without taskId → -32602 (R94).
    (rng) => ({
      category: 'missing taskId',
      method: rng.pick(TASK_ID_METHODS),
      params: rng.pick<unknown>([OMIT, {}, { id: 'x' }, { taskID: 'x' }, { task_id: 'x' }, { _meta: {} }, { cursor: 'x' }]),
      expect: { kind: 'error', code: INVALID_PARAMS },
    }),
    // taskId of the wrong type → -32602 (R94).
    (rng) => ({
      category: 'taskId of the wrong type',
      method: rng.pick(TASK_ID_METHODS),
      params: { taskId: notAString(rng), ...(rng.chance(0.3) ? { extra: rng.string().slice(0, 20) } : {}) },
      expect: { kind: 'error', code: INVALID_PARAMS },
    }),
    // Unknown, mangled or huge task ids → -32602 (R70).
    (rng) => ({
      category: 'unknown taskId',
      method: rng.pick(TASK_ID_METHODS),
      params: { taskId: unknownTaskId(rng, knownIds), ...(rng.chance(0.3) ? { extra: [1, 2, 3] } : {}) },
      expect: { kind: 'error', code: INVALID_PARAMS },
    }),
    // Related-task _meta pointing elsewhere is ignored; params.taskId decides (R53, R55).
    (rng) => ({
      category: 'related-task _meta with unknown taskId',
      method: rng.pick(TASK_ID_METHODS),
      params: {
        taskId: unknownTaskId(rng, knownIds),
        _meta: { [RELATED_TASK]: { taskId: rng.pick(knownIds.length > 0 ? knownIds : ['x']) }, progressToken: rng.pick<string | number>(['p', 1]) },
      },
      expect: { kind: 'error', code: INVALID_PARAMS },
    }),
    // Cancelling a terminal task → -32602 (R69).
    (rng) => ({
      category: 'cancel a terminal task',
      method: 'tasks/cancel',
      params: { taskId: rng.pick(terminalIds) },
      expect: { kind: 'error', code: INVALID_PARAMS },
    }),
    // tasks/list with a cursor this server never issued, or not a string → -32602 (R64).
    (rng) => ({
      category: 'bad cursor',
      method: 'tasks/list',
      params: { cursor: rng.chance(0.6) ? rng.string() : notAString(rng) },
      expect: { kind: 'error', code: INVALID_PARAMS },
    }),
    // `task` that is not an object → -32602.
    (rng) => {
      const call = randomFixture(rng);
      return {
        category: 'task is not an object',
        method: 'tools/call',
        params: { name: call.name, arguments: call.args, task: notATaskObject(rng) },
        expect: { kind: 'error', code: INVALID_PARAMS },
      };
    },
    // `task.ttl` of the wrong type (incl. NaN and ±Infinity) → -32602.
    (rng) => {
      const call = randomFixture(rng);
      return { category: 'ttl of the wrong type', method: 'tools/call', params: { name: call.name, arguments: call.args, task: badTtlType(rng) }, expect: { kind: 'error', code: INVALID_PARAMS } };
    },
    // Tool name missing, of the wrong type, or unknown → -32602.
    (rng) => {
      const name = rng.pick<() => unknown>([
        () => OMIT,
        () => notAString(rng),
        () => rng.pick(['', 'no_such_tool', 'tasks_conformance_', 'TASKS_CONFORMANCE_OPTIONAL', 'tasks_conformance_optional ', 'tasks/get', 'demo']),
        () => `tool_${rng.string()}`,
      ])();
      return {
        category: 'bad tool name',
        method: 'tools/call',
        params: { ...(name === OMIT ? {} : { name }), arguments: { text: 'x' }, task: { ttl: 60_000 } },
        expect: { kind: 'error', code: INVALID_PARAMS },
      };
    },
    // `arguments` that is not an object → -32602.
    (rng) => {
      const call = randomFixture(rng);
      return {
        category: 'arguments is not an object',
        method: 'tools/call',
        params: { name: call.name, arguments: rng.pick<unknown>([[], ['text'], 'text', 5, true, null]), task: {} },
        expect: { kind: 'error', code: INVALID_PARAMS },
      };
    },
    // Arguments that do not match the tool's input schema → -32602 (checked before a task is created).
    (rng) => {
      const bad = rng.pick(BAD_FIXTURE_ARGS);
      const call = FIXTURE_CALLS.find((c) => c.name === bad.name)!;
      return {
        category: 'arguments do not match the input schema',
        method: 'tools/call',
        params: { name: bad.name, arguments: bad.args, ...(call.support === 'forbidden' ? {} : { task: { ttl: 1_000 } }) },
        expect: { kind: 'error', code: INVALID_PARAMS },
      };
    },
    // taskSupport mismatches → -32601 (R10, R13).
    (rng) => {
      const call = rng.pick(FIXTURE_CALLS.filter((c) => c.support !== 'optional'));
      return {
        category: 'taskSupport mismatch',
        method: 'tools/call',
        params: call.support === 'forbidden' ? { name: call.name, arguments: call.args, task: rng.pick([{}, { ttl: 5_000 }]) } : { name: call.name, arguments: call.args },
        expect: { kind: 'error', code: METHOD_NOT_FOUND },
      };
    },
  ];
}

/** Well-typed but odd ttls on a task that finishes at once: overridden (R40) or rejected, never a crash. */
export function ttlCase(rng: Rng): FuzzCase {
  const ttl = rng.pick([-1, -1e308, 0, 1, 0.5, 1.5, 1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, Number.MIN_VALUE, -0]);
  return { category: 'odd ttl', method: 'tools/call', params: { name: 'tasks_conformance_required', arguments: { text: 'ttl' }, task: { ttl } }, expect: { kind: 'ttl' } };
}

/**
 * Envelope-level malformations (the request object itself, `params` as a whole, `_meta`), which
 * the SDK drops without an answer unless the server guards its transport (the reference server does).
 */
export function envelopeCases(): Array<(rng: Rng) => FuzzCase> {
  const method = (rng: Rng) => rng.pick(['tasks/get', 'tasks/result', 'tasks/cancel', 'tasks/list', 'tools/call']);
  return [
    (rng) => ({ category: 'params is an array', method: method(rng), params: rng.pick<unknown[]>([[], ['id'], [{ taskId: 'x' }]]), expect: { kind: 'error', code: INVALID_PARAMS } }),
    (rng) => ({ category: 'params is not structured', method: method(rng), params: rng.pick<unknown>(['x', 5, true, null]), expect: { kind: 'error', code: INVALID_REQUEST } }),
    (rng) => ({
      category: 'bad _meta',
      method: method(rng),
      params: {
        taskId: 'x',
        name: 'tasks_conformance_optional',
        _meta: rng.pick<unknown>([5, 'x', [], null, true, { progressToken: 1.5 }, { progressToken: {} }, { progressToken: null }, { [RELATED_TASK]: 'x' }, { [RELATED_TASK]: { taskId: 5 } }, { [RELATED_TASK]: {} }, { [RELATED_TASK]: [] }]),
      },
      expect: { kind: 'error', code: INVALID_PARAMS },
    }),
    (rng) => ({
      category: 'invalid request object',
      method: method(rng),
      params: { taskId: 'x' },
      envelope: rng.pick<Record<string, unknown>>([{ jsonrpc: '1.0' }, { jsonrpc: 2 }, { extra: true }, { result: {} }, { error: { code: 1, message: 'm' } }, { method: 42 }]),
      expect: { kind: 'error', code: INVALID_REQUEST },
    }),
  ];
}
