import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import {
  CapabilityMissingError,
  fromJsonRpcError,
  InvalidCursorError,
  QueueFullError,
  TaskCancelledError,
  TaskError,
  TaskLimitError,
  TaskNotFoundError,
  TaskOutcomeError,
  TaskTerminalError,
  toJsonRpcError,
} from '../../src/core/errors.js';

test('R70/R85: not found is one -32602 answer whatever the cause', () => {
  const a = new TaskNotFoundError('a');
  const b = new TaskNotFoundError('b');
  assert.equal(a.code, ErrorCode.InvalidParams);
  assert.deepEqual(a.toJsonRpc(), b.toJsonRpc());
  assert.equal(a.taskId, 'a');
  assert.equal(a.name, 'TaskNotFoundError');
});

test('R69: terminal task errors are -32602 and name the status', () => {
  const err = new TaskTerminalError('t', 'completed', 'cancel task');
  assert.equal(err.code, -32602);
  assert.equal(err.status, 'completed');
  assert.match(err.message, /Cannot cancel task: already in terminal status 'completed'/);
  assert.match(new TaskTerminalError('t', 'failed').message, /Cannot update task/);
});

test('R64: invalid cursor is -32602', () => {
  assert.deepEqual(new InvalidCursorError().toJsonRpc(), { code: -32602, message: 'Invalid cursor' });
});

test('limit and queue errors carry their bound in data', () => {
  const q = new QueueFullError('t', 3);
  assert.equal(q.code, ErrorCode.InternalError);
  assert.deepEqual(q.data, { maxSize: 3 });
  assert.equal(q.maxSize, 3);
  const l = new TaskLimitError('maxActiveTasksPerScope', 2, 'too many');
  assert.equal(l.code, ErrorCode.InvalidRequest);
  assert.deepEqual(l.toJsonRpc(), { code: -32600, message: 'too many', data: { limit: 'maxActiveTasksPerScope', max: 2 } });
});

test('G3: tasks/result on a cancelled task is a -32602 with the status in data', () => {
  const err = new TaskCancelledError('t1');
  assert.deepEqual(err.toJsonRpc().data, { taskId: 't1', status: 'cancelled' });
  assert.equal(new CapabilityMissingError('no elicitation').code, -32600);
});

test('R50: an outcome error round-trips with the same code, message and data', () => {
  const wire = { code: -32042, message: 'fixture failure', data: { fixture: true } };
  const err = fromJsonRpcError(wire);
  assert.ok(err instanceof TaskOutcomeError);
  assert.deepEqual(toJsonRpcError(err), wire);
  assert.deepEqual(toJsonRpcError(fromJsonRpcError({ code: 1, message: 'm' })), { code: 1, message: 'm' });
});

test('R76: toJsonRpcError maps McpError without the SDK prefix, anything else to -32603', () => {
  assert.deepEqual(toJsonRpcError(new McpError(-32602, 'bad', { x: 1 })), { code: -32602, message: 'bad', data: { x: 1 } });
  assert.deepEqual(toJsonRpcError(new McpError(-32601, 'nope')), { code: -32601, message: 'nope' });
  assert.deepEqual(toJsonRpcError(new Error('boom')), { code: -32603, message: 'Internal error: boom' });
  assert.deepEqual(toJsonRpcError('text'), { code: -32603, message: 'Internal error: text' });
  assert.deepEqual(toJsonRpcError(new Error('')), { code: -32603, message: 'Internal error: unknown error' });
  assert.ok(new TaskError(1, 'x') instanceof Error);
});
