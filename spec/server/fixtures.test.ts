/** The conformance fixture tools (docs/conformance.md), registered by registerConformanceFixtures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conformanceFixtureTools, FIXTURE_TOOL_NAMES } from '../../conformance/fixtureTools.js';
import { callAsTask, inMemory, rejectsWithCode, textOf, toolTaskResult } from './harness.js';

const EXPECTED: Record<string, string> = {
  tasks_conformance_optional: 'optional',
  tasks_conformance_required: 'required',
  tasks_conformance_forbidden: 'forbidden',
  tasks_conformance_tool_error: 'optional',
  tasks_conformance_protocol_error: 'optional',
  tasks_conformance_elicit: 'required',
  tasks_conformance_sample: 'required',
  tasks_conformance_progress: 'optional',
  tasks_conformance_hold: 'optional',
  tasks_conformance_stubborn: 'optional',
};

test('R7: all 10 fixture tools are listed with their exact names and execution.taskSupport', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const { tools } = await h.client.listTools();
  assert.deepEqual(Object.fromEntries(tools.map((tool) => [tool.name, tool.execution?.taskSupport])), EXPECTED);
  assert.deepEqual([...FIXTURE_TOOL_NAMES], Object.keys(EXPECTED));
  assert.equal(conformanceFixtureTools().length, 10);
  for (const tool of tools) {
    assert.equal(tool.inputSchema.type, 'object');
    assert.equal((tool.inputSchema as Record<string, unknown>)['$schema'], undefined);
  }
});

test('R11 R12 R80: fixture behaviours: forbidden echoes, required echoes as a task, hold returns held, stubborn returns stubborn', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  assert.equal(textOf(await h.client.callTool({ name: 'tasks_conformance_forbidden', arguments: { text: 'f' } })), 'f');
  const required = await callAsTask(h.client, 'tasks_conformance_required', { text: 'r', delayMs: 1 });
  assert.equal(textOf(await toolTaskResult(h.client, required.taskId)), 'r');
  assert.equal(textOf(await h.client.callTool({ name: 'tasks_conformance_hold', arguments: { holdMs: 1 } })), 'held');
  assert.equal(textOf(await h.client.callTool({ name: 'tasks_conformance_stubborn', arguments: { holdMs: 1 } })), 'stubborn');
  const toolError = await h.client.callTool({ name: 'tasks_conformance_tool_error', arguments: { message: 'e' } });
  assert.equal(toolError.isError, true);
  assert.equal(textOf(toolError), 'e');
});

test('R78 R94: fixtures reject bad arguments with -32602 and a message naming the tool', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const cases: [string, Record<string, unknown>][] = [
    ['tasks_conformance_forbidden', {}],
    ['tasks_conformance_hold', { holdMs: -1 }],
    ['tasks_conformance_progress', { steps: 1.5 }],
    ['tasks_conformance_protocol_error', { code: 'x', message: 'm' }],
  ];
  for (const [name, args] of cases) {
    const error = await rejectsWithCode(h.client.callTool({ name, arguments: args }), -32602);
    assert.match(error.message, new RegExp(name));
  }
});
