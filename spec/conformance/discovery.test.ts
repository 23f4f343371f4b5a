import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { JSONRPCMessage, Tool } from '@modelcontextprotocol/sdk/types.js';
import {
  formatProgress,
  formatReport,
  minimalInstance,
  NoInstanceError,
  parseProfile,
  planTools,
  ProfileError,
  runConformance,
  textProperty,
  type Report,
} from '../../conformance/index.js';
import { enableTasks, TaskSupport } from '../../src/index.js';

test('minimalInstance: required properties only, with defaults, consts, enums, examples and bounds', () => {
  const schema = {
    type: 'object',
    properties: {
      topic: { type: 'string' },
      mode: { type: 'string', enum: ['fast', 'slow'] },
      level: { type: 'integer', minimum: 3, multipleOf: 2 },
      ratio: { type: 'number', exclusiveMinimum: 1 },
      flag: { type: 'boolean' },
      when: { type: 'string', format: 'date-time' },
      kind: { const: 'k' },
      tag: { type: 'string', examples: ['ex'] },
      tags: { type: 'array', items: { type: 'string', minLength: 3 }, minItems: 2 },
      nested: { type: 'object', properties: { a: { type: 'string', default: 'd' }, b: { type: 'string' } }, required: ['a'] },
      ref: { $ref: '#/$defs/Thing' },
      choice: { oneOf: [{ type: 'string', pattern: '^x' }, { type: 'integer', maximum: -2 }] },
      nullable: { type: ['null', 'string'] },
      left: { type: 'string' },
    },
    required: ['topic', 'mode', 'level', 'ratio', 'flag', 'when', 'kind', 'tag', 'tags', 'nested', 'ref', 'choice', 'nullable'],
    $defs: { Thing: { type: 'object', properties: { n: { type: 'number', default: 7 } }, required: ['n'] } },
  };
  assert.deepEqual(minimalInstance(schema), {
    topic: 'conformance',
    mode: 'fast',
    level: 4,
    ratio: 1.5,
    flag: false,
    when: '2026-01-01T00:00:00Z',
    kind: 'k',
    tag: 'ex',
    tags: ['conformance', 'conformance'],
    nested: { a: 'd' },
    ref: { n: 7 },
    choice: -2,
    nullable: 'conformance',
  });
  assert.deepEqual(minimalInstance({ type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }, { booleans: true }), { ok: true });
  assert.deepEqual(minimalInstance({ type: 'object', properties: { s: { type: 'string', minLength: 30, maxLength: 31 } }, required: ['s'] }), {
    s: 'conformanceconformanceconforman',
  });
  assert.deepEqual(minimalInstance(undefined), {});
  assert.deepEqual(minimalInstance({ allOf: [{ properties: { a: { type: 'integer' } }, required: ['a'] }, { properties: { b: { enum: [2] } }, required: ['b'] }] }), { a: 0, b: 2 });
});

test('minimalInstance names the property it cannot make a value for', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ type: 'object', properties: { id: { type: 'string', pattern: '^[a-f0-9]{8}$' } }, required: ['id'] }, /^id: string pattern/],
    [{ type: 'object', properties: { u: { type: 'string', format: 'iri-reference' } }, required: ['u'] }, /^u: string format iri-reference/],
    [{ type: 'object', properties: { r: { $ref: 'https://example.com/s.json' } }, required: ['r'] }, /^r: \$ref .* is not local/],
    [{ type: 'object', properties: { r: { $ref: '#/$defs/Missing' } }, required: ['r'] }, /does not resolve/],
    [{ not: { type: 'string' } }, /^\(root\): `not`/],
    [{ $ref: '#' }, /too deep/],
  ];
  for (const [schema, message] of cases) {
    assert.throws(() => minimalInstance(schema), (error: unknown) => error instanceof NoInstanceError && message.test(error.message));
  }
});

test('textProperty: the first required free-form string', () => {
  assert.equal(textProperty({ type: 'object', properties: { n: { type: 'number' }, q: { type: 'string' } }, required: ['n', 'q'] }), 'q');
  assert.equal(textProperty({ type: 'object', properties: { q: { type: 'string', enum: ['a'] } }, required: ['q'] }), undefined);
  assert.equal(textProperty({ type: 'object', properties: { q: { type: 'string', maxLength: 8 } }, required: ['q'] }), undefined);
  assert.equal(textProperty({ type: 'object', properties: { q: { type: 'string' } } }), undefined);
});

const obj = (properties: Record<string, object> = {}, required: string[] = []): Tool['inputSchema'] => ({ type: 'object', properties, required });

function tool(name: string, support: 'optional' | 'required' | 'forbidden' | undefined, extra: Partial<Tool> = {}): Tool {
  return { name, inputSchema: obj(), ...(support ? { execution: { taskSupport: support } } : {}), ...extra };
}

test('planTools: fixtures first, then roles, then tools found by taskSupport (read-only, text-taking, fewest arguments)', () => {
  const tools: Tool[] = [
    tool('tasks_conformance_hold', 'optional'),
    tool('tasks_conformance_elicit', 'optional'), // declared differently from the contract (required)
    tool('zeta', 'optional', { inputSchema: obj({ q: { type: 'string' } }, ['q']) }),
    tool('alpha', 'optional', { inputSchema: obj({ n: { type: 'number' } }, ['n']) }),
    tool('wipe', 'required', { annotations: { destructiveHint: true } }),
    tool('report', 'required', { inputSchema: obj({ id: { type: 'string', pattern: '^r' } }, ['id']) }),
    tool('echo', undefined, { annotations: { readOnlyHint: true }, inputSchema: obj({ message: { type: 'string' } }, ['message']) }),
    tool('delete-all', undefined),
  ];
  const plan = planTools(tools, { roles: { sample: { tool: 'zeta', args: { q: 'given' } }, stubborn: { tool: 'echo' } } });
  assert.deepEqual(plan.bound.get('tasks_conformance_hold'), { name: 'tasks_conformance_hold', source: 'fixture', taskSupport: 'optional', args: {} });
  assert.deepEqual(plan.bound.get('tasks_conformance_optional'), { name: 'zeta', source: 'discovered', taskSupport: 'optional', args: { q: 'conformance' }, textKey: 'q' });
  assert.deepEqual(plan.bound.get('tasks_conformance_forbidden'), { name: 'echo', source: 'discovered', taskSupport: 'forbidden', args: { message: 'conformance' }, textKey: 'message' });
  assert.deepEqual(plan.bound.get('tasks_conformance_sample'), { name: 'zeta', source: 'role', taskSupport: 'optional', args: { q: 'given' } });
  assert.match(plan.problems.get('tasks_conformance_elicit')!, /declares taskSupport 'optional', the fixture contract says 'required'/);
  assert.match(plan.problems.get('tasks_conformance_stubborn')!, /--role stubborn=echo: it declares taskSupport 'forbidden', the role needs 'optional' or 'required'/);
  const required = plan.problems.get('tasks_conformance_required')!;
  assert.match(required, /wipe is annotated destructive/);
  assert.match(required, /report \(id: string pattern/);
  assert.match(required, /--tool-args report=/);
  assert.match(plan.problems.get('tasks_conformance_progress')!, /needs a tool that reports progress .*--role progress=TOOL/);

  // the optional slot falls back to a task-only tool; tool arguments from --tool-args make report callable
  const taskOnly = planTools([tool('report', 'required', { inputSchema: obj({ id: { type: 'string', pattern: '^r' } }, ['id']) })], { toolArgs: { report: { id: 'r1' } } });
  assert.deepEqual(taskOnly.bound.get('tasks_conformance_optional'), { name: 'report', source: 'discovered', taskSupport: 'required', args: { id: 'r1' } });
  assert.match(planTools([], { roles: { hold: { tool: 'nope' } } }).problems.get('tasks_conformance_hold')!, /lists no tool nope/);
  assert.match(planTools([]).problems.get('tasks_conformance_forbidden')!, /lists no tool with taskSupport 'forbidden'/);
});

test('parseProfile reads roles (a name or tool and args), tool-args and client-capabilities; the shipped profile parses', () => {
  const profile = parseProfile(
    ['roles:', '  hold: wait', '  elicit: { tool: ask, args: { a: 1 } }', 'tool-args:', '  wait: { ms: 5 }', 'client-capabilities:', '  sampling: {}'].join('\n'),
  );
  assert.deepEqual(profile, {
    tools: { roles: { hold: { tool: 'wait' }, elicit: { tool: 'ask', args: { a: 1 } } }, toolArgs: { wait: { ms: 5 } } },
    clientCapabilities: { sampling: {} },
  });
  assert.deepEqual(parseProfile(''), { tools: { roles: {}, toolArgs: {} } });
  assert.throws(() => parseProfile('roles: { waiting: x }'), (e: unknown) => e instanceof ProfileError && /unknown role 'waiting'/.test(e.message));
  assert.throws(() => parseProfile('rolez: {}'), ProfileError);
  assert.throws(() => parseProfile('roles: [1'), /not YAML/);
  const shipped = parseProfile(readFileSync(new URL('../../../conformance/profiles/server-everything.yaml', import.meta.url), 'utf8'));
  assert.equal(shipped.tools.roles?.hold?.tool, 'simulate-research-query');
});

/** A conformant server (this project's runtime) with ordinary tools and none of the fixtures. */
function plainToolsTarget(): { connect: (identity: 'A' | 'B') => Promise<InMemoryTransport>; close: () => Promise<void> } {
  const support = TaskSupport.inMemory();
  const servers: Server[] = [];
  return {
    async connect(identity) {
      const server = new Server({ name: 'plain-tools', version: '1.0.0' }, { capabilities: {} });
      const tasks = enableTasks(server, { taskSupport: support });
      const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
      tasks.registerTool<{ query: string }>(
        { name: 'lookup', inputSchema: obj({ query: { type: 'string' } }, ['query']), execution: { taskSupport: 'optional' } },
        async ({ query }, ctx) => {
          await sleep(60, undefined, { signal: ctx.signal });
          return text(`found ${query}`);
        },
      );
      tasks.registerTool({ name: 'compile', inputSchema: obj({ target: { enum: ['es2022', 'es2020'] } }, ['target']), execution: { taskSupport: 'required' } }, async () =>
        text('compiled'),
      );
      tasks.registerTool({ name: 'status', inputSchema: obj(), annotations: { readOnlyHint: true } }, async () => text('ok'));
      tasks.registerTool<{ ms: number }>(
        { name: 'wait', inputSchema: obj({ ms: { type: 'integer', default: 3000 } }, ['ms']), execution: { taskSupport: 'optional' } },
        async ({ ms }, ctx) => {
          await sleep(ms, undefined, { signal: ctx.signal });
          return text('waited');
        },
      );
      const [client, serverSide] = InMemoryTransport.createLinkedPair();
      const authInfo: AuthInfo = { token: identity, clientId: identity, scopes: [] };
      const send = client.send.bind(client);
      client.send = (message: JSONRPCMessage, options?: { relatedRequestId?: string | number }) => send(message, { ...options, authInfo });
      await server.connect(serverSide);
      servers.push(server);
      return client;
    },
    async close() {
      for (const server of servers) await server.close();
      await support.close();
    },
  };
}

function ran(report: Report): string[] {
  return report.results.filter((r) => r.outcome !== 'skip').map((r) => r.id);
}

test('discovery mode: a conformant server with only its own tools passes every check that runs, and the report names the tool of each', async () => {
  const target = plainToolsTarget();
  let report: Report;
  try {
    report = await runConformance({
      target: { connect: target.connect, name: 'plain tools', requestors: 'credentials' },
      tools: { roles: { hold: { tool: 'wait' } } },
      checkTimeoutMs: 10_000,
    });
  } finally {
    await target.close();
  }
  const text = formatReport(report);
  assert.deepEqual(report.results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn' || r.outcome === 'info').map((r) => `${r.id}: ${r.reasons.join(' ')}`), [], text);
  assert.ok(ran(report).length >= 45, `${ran(report).length} checks ran:\n${text}`);
  for (const id of ['R11', 'R16', 'R21', 'R53', 'R73', 'G15', 'R85']) assert.ok(ran(report).includes(id), `${id} ran`);
  const on = (id: string) => report.results.find((r) => r.id === id)!.tools;
  assert.deepEqual(on('R11'), ['lookup (discovered, taskSupport optional)']);
  assert.deepEqual(on('R10'), ['status (discovered, taskSupport forbidden)']);
  assert.deepEqual(on('R13'), ['compile (discovered, taskSupport required)']);
  assert.ok(on('R73').includes('wait (role, taskSupport optional)'));
  const skip = (id: string) => report.results.find((r) => r.id === id)!.reasons[0] ?? '';
  assert.match(skip('R50'), /needs the fixture tasks_conformance_optional itself/);
  assert.match(skip('R29'), /--role elicit=TOOL/);
  assert.match(skip('R10'), /whether the refused call ran the tool anyway/);
  assert.match(text, /Tools the checks ran on:\n {2}lookup \(discovered, taskSupport optional\): R1 /);
  const r11 = report.results.find((r) => r.id === 'R11')!;
  assert.match(formatProgress({ type: 'check-end', result: r11, index: 0, total: 1 })!, /PASS R11 .*\[on lookup \(discovered, taskSupport optional\)\]/);
});
