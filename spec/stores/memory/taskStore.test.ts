import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Result } from '@modelcontextprotocol/sdk/types.js';
import {
  InvalidCursorError,
  TaskCancelledError,
  TaskError,
  TaskLimitError,
  TaskNotFoundError,
  TaskOutcomeError,
  TaskTerminalError,
} from '../../../src/core/errors.js';
import { DEFAULT_TTL_POLICY } from '../../../src/core/ttl.js';
import { InMemoryTaskStore } from '../../../src/stores/memory/index.js';
import { StoreClosedError } from '../../../src/core/errors.js';
import { CALL } from './helpers.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const WIRE_KEYS = ['createdAt', 'lastUpdatedAt', 'pollInterval', 'status', 'statusMessage', 'taskId', 'ttl'];

function store(options?: ConstructorParameters<typeof InMemoryTaskStore>[0]): InMemoryTaskStore {
  return new InMemoryTaskStore(options);
}

test('R22 R23 R24 R84: ids are generated strings of 128 random bits, unique', async () => {
  const s = store();
  const ids = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const task = await s.createTask({}, i, CALL);
    assert.equal(typeof task.taskId, 'string');
    assert.match(task.taskId, /^[0-9a-f]{32}$/);
    ids.add(task.taskId);
  }
  assert.equal(ids.size, 200);
  await s.close();
});

test('R26 R38 R41: a new task is working, has ISO timestamps, the real ttl and a pollInterval', async () => {
  const s = store({ defaultPollInterval: 250 });
  const task = await s.createTask({}, 1, CALL);
  assert.equal(task.status, 'working');
  assert.match(task.createdAt, ISO);
  assert.equal(task.lastUpdatedAt, task.createdAt);
  assert.equal(task.ttl, DEFAULT_TTL_POLICY.defaultTtl);
  assert.equal(task.pollInterval, 250);
  assert.equal(task.statusMessage, undefined);
  assert.ok(!('statusMessage' in task));
  const own = await s.createTask({ pollInterval: 20 }, 2, CALL);
  assert.equal(own.pollInterval, 20);
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
    assert.equal((await s.createTask({ pollInterval: bad }, 3, CALL)).pollInterval, 250);
  }
  await s.close();
});

test('R40 R41: the requested ttl is clamped by the policy and the reported ttl is the real one', async () => {
  const s = store({ ttl: { minTtl: 1_000, defaultTtl: 5_000, maxTtl: 10_000 } });
  const cases: [unknown, number | null][] = [
    [undefined, 5_000],
    [null, 10_000],
    [1, 1_000],
    [-5, 1_000],
    [2_000.2, 2_001],
    [99_999, 10_000],
    [Number.NaN, 5_000],
    ['7000', 5_000],
  ];
  for (const [ttl, expected] of cases) {
    const task = await s.createTask({ ttl: ttl as number }, 1, CALL);
    assert.equal(task.ttl, expected, `requested ${String(ttl)}`);
    assert.equal((await s.getTask(task.taskId))!.ttl, expected);
  }
  const unlimited = store({ ttl: { maxTtl: null } });
  const forever = await unlimited.createTask({ ttl: null }, 1, CALL);
  assert.equal(forever.ttl, null);
  assert.equal((await unlimited.getTask(forever.taskId))!.ttl, null);
  assert.equal(unlimited.timerArmed, false, 'a task without expiry arms no timer');
  await s.close();
  await unlimited.close();
});

test('R41: createTask copes with missing task params', async () => {
  const s = store();
  const task = await s.createTask(undefined as never, 1, CALL);
  assert.equal(task.ttl, DEFAULT_TTL_POLICY.defaultTtl);
  await s.close();
});

test('constructor rejects bad options with RangeError', () => {
  assert.throws(() => store({ pageSize: 0 }), RangeError);
  assert.throws(() => store({ pageSize: 1.5 }), RangeError);
  assert.throws(() => store({ limits: { maxTasks: 0 } }), RangeError);
  assert.throws(() => store({ limits: { maxActiveTasksPerScope: -1 } }), RangeError);
  assert.throws(() => store({ defaultPollInterval: -1 }), RangeError);
  assert.throws(() => store({ defaultPollInterval: 0.5 }), RangeError);
  assert.throws(() => store({ ttl: { minTtl: -1 } }), RangeError);
  const s = store({ pageSize: 7, limits: { maxTasks: 9 }, defaultPollInterval: 0 });
  assert.equal(s.pageSize, 7);
  assert.deepEqual({ ...s.limits }, { maxTasks: 9, maxActiveTasksPerScope: 1_000 });
  assert.equal(s.defaultPollInterval, 0);
  assert.equal(s.ttlPolicy.defaultTtl, DEFAULT_TTL_POLICY.defaultTtl);
});

test('R27 R39: updateTask moves status and message; version and lastUpdatedAt move on every change', async () => {
  const s = store();
  const { taskId } = await s.createTask({}, 1, CALL);
  const s0 = (await s.getTaskState(taskId))!;
  assert.equal(s0.version, 1);
  const t1 = await s.updateTask(taskId, { status: 'input_required', statusMessage: 'need a name' });
  assert.equal(t1.status, 'input_required');
  assert.equal(t1.statusMessage, 'need a name');
  assert.ok(t1.lastUpdatedAt > s0.task.lastUpdatedAt);
  const t2 = await s.updateTask(taskId, { status: 'working' });
  assert.equal(t2.status, 'working');
  assert.equal(t2.statusMessage, 'need a name', 'absent message keeps the current one');
  assert.ok(t2.lastUpdatedAt > t1.lastUpdatedAt);
  const t3 = await s.updateTask(taskId, { statusMessage: 'half way' });
  assert.equal(t3.status, 'working');
  assert.equal(t3.statusMessage, 'half way');
  const t4 = await s.updateTask(taskId, {});
  assert.ok(t4.lastUpdatedAt > t3.lastUpdatedAt);
  assert.equal((await s.getTaskState(taskId))!.version, 5);
  assert.equal(t4.createdAt, s0.task.createdAt);
  await s.close();
});

test('R27: updateTask refuses completed/failed and bad input with -32602, changing nothing', async () => {
  const s = store();
  const { taskId } = await s.createTask({}, 1, CALL);
  for (const status of ['completed', 'failed', 'bogus']) {
    await assert.rejects(s.updateTask(taskId, { status: status as 'working' }), (e: unknown) => e instanceof TaskError && e.code === -32602);
  }
  await assert.rejects(s.updateTask(taskId, { statusMessage: 5 as unknown as string }), /statusMessage must be a string/);
  const state = (await s.getTaskState(taskId))!;
  assert.equal(state.task.status, 'working');
  assert.equal(state.version, 1, 'rejected updates change nothing');
  // a missing update object is an empty update: a change that keeps status and message
  assert.equal((await s.updateTask(taskId, undefined as never)).status, 'working');
  assert.equal((await s.getTaskState(taskId))!.version, 2);
  await s.close();
});

test('R28 R72: cancel wins — finishing a cancelled task throws TaskTerminalError and changes nothing', async () => {
  const s = store();
  const { taskId } = await s.createTask({}, 1, CALL);
  const cancelled = await s.updateTask(taskId, { status: 'cancelled', statusMessage: 'stop' });
  assert.equal(cancelled.status, 'cancelled');
  const before = (await s.getTaskState(taskId))!;
  await assert.rejects(
    s.finishTask(taskId, { status: 'completed', outcome: { kind: 'result', result: { content: [] } }, statusMessage: 'done' }),
    (e: unknown) => e instanceof TaskTerminalError && e.status === 'cancelled' && e.code === -32602 && e.taskId === taskId,
  );
  await assert.rejects(s.storeTaskResult(taskId, 'failed', { content: [] }), TaskTerminalError);
  await assert.rejects(s.updateTask(taskId, { status: 'working' }), TaskTerminalError);
  await assert.rejects(s.updateTaskStatus(taskId, 'cancelled'), TaskTerminalError);
  assert.deepEqual(await s.getTaskState(taskId), before);
  assert.equal(await s.getTaskOutcome(taskId), null);
  await assert.rejects(s.getTaskResult(taskId), (e: unknown) => e instanceof TaskCancelledError && e.code === -32602);
  await s.close();
});

test('R28: a completed task never changes again', async () => {
  const s = store();
  const { taskId } = await s.createTask({}, 1, CALL);
  await s.storeTaskResult(taskId, 'completed', { content: [{ type: 'text', text: 'hi' }] });
  const before = (await s.getTaskState(taskId))!;
  for (const status of ['working', 'input_required', 'completed', 'failed', 'cancelled'] as const) {
    await assert.rejects(s.updateTaskStatus(taskId, status), TaskTerminalError);
  }
  await assert.rejects(s.updateTask(taskId, { status: 'cancelled' }), TaskTerminalError);
  await assert.rejects(s.finishTask(taskId, { status: 'failed', outcome: { kind: 'error', error: { code: 1, message: 'x' } } }), TaskTerminalError);
  assert.deepEqual(await s.getTaskState(taskId), before);
  await s.close();
});

test('finishTask stores outcome, final status and message in one step; results are copies', async () => {
  const s = store();
  const { taskId } = await s.createTask({}, 1, CALL);
  await s.updateTask(taskId, { statusMessage: 'running' });
  const result = { content: [{ type: 'text', text: 'answer' }], structuredContent: { n: 1 } };
  const task = await s.finishTask(taskId, { status: 'completed', outcome: { kind: 'result', result } });
  assert.equal(task.status, 'completed');
  assert.equal(task.statusMessage, 'running', 'absent message keeps the current one');
  result.structuredContent.n = 2; // the caller mutates its object after storing
  const stored = (await s.getTaskResult(taskId)) as typeof result;
  assert.equal(stored.structuredContent.n, 1);
  stored.structuredContent.n = 3; // and mutates what it read
  assert.equal(((await s.getTaskResult(taskId)) as typeof result).structuredContent.n, 1);
  const outcome = await s.getTaskOutcome(taskId);
  assert.deepEqual(outcome, { kind: 'result', result: { content: [{ type: 'text', text: 'answer' }], structuredContent: { n: 1 } } });
  (outcome as { result: Result }).result.x = 1;
  assert.equal(((await s.getTaskOutcome(taskId)) as { result: Result }).result.x, undefined);
  assert.equal((await s.getTaskState(taskId))!.version, 3);
  await s.close();
});

test('finishTask with an error outcome; getTaskResult throws it verbatim (R50 via TaskOutcomeError)', async () => {
  const s = store();
  const { taskId } = await s.createTask({}, 1, CALL);
  const error = { code: -32000, message: 'upstream down', data: { retry: true } };
  const task = await s.finishTask(taskId, { status: 'failed', outcome: { kind: 'error', error }, statusMessage: 'upstream down' });
  assert.equal(task.status, 'failed');
  assert.equal(task.statusMessage, 'upstream down');
  await assert.rejects(s.getTaskResult(taskId), (e: unknown) => {
    assert.ok(e instanceof TaskOutcomeError);
    assert.deepEqual(e.toJsonRpc(), error);
    return true;
  });
  assert.deepEqual(await s.getTaskOutcome(taskId), { kind: 'error', error });
  await s.close();
});

test('finishTask rejects bad input with -32602 and changes nothing', async () => {
  const s = store();
  const { taskId } = await s.createTask({}, 1, CALL);
  const ok = { kind: 'result', result: {} } as const;
  const bad: unknown[] = [
    { status: 'working', outcome: ok },
    { status: 'cancelled', outcome: ok },
    { status: 'completed', outcome: ok, statusMessage: 7 },
    { status: 'completed', outcome: null },
    { status: 'completed', outcome: { kind: 'result', result: null } },
    { status: 'completed', outcome: { kind: 'result', result: 'x' } },
    { status: 'failed', outcome: { kind: 'error', error: { code: 'x', message: 'm' } } },
    { status: 'failed', outcome: { kind: 'error', error: { code: 1 } } },
    { status: 'failed', outcome: { kind: 'error', error: null } },
    { status: 'failed', outcome: { kind: 'other' } },
    { status: 'completed', outcome: { kind: 'result', result: { f: () => 1 } } },
    undefined,
  ];
  for (const input of bad) {
    await assert.rejects(
      s.finishTask(taskId, input as never),
      (e: unknown) => e instanceof TaskError && e.code === -32602,
      JSON.stringify(input),
    );
  }
  assert.equal((await s.getTaskState(taskId))!.version, 1);
  assert.equal(await s.getTaskOutcome(taskId), null);
  await s.close();
});

test('SDK updateTaskStatus: any status, terminal targets without outcome, terminal → TaskTerminalError', async () => {
  const s = store();
  const a = await s.createTask({}, 1, CALL);
  await s.updateTaskStatus(a.taskId, 'input_required', 'waiting');
  assert.equal((await s.getTask(a.taskId))!.status, 'input_required');
  await s.updateTaskStatus(a.taskId, 'input_required');
  assert.equal((await s.getTask(a.taskId))!.statusMessage, 'waiting');
  await s.updateTaskStatus(a.taskId, 'failed', 'worker lost');
  assert.equal((await s.getTask(a.taskId))!.status, 'failed');
  assert.equal(await s.getTaskOutcome(a.taskId), null);
  await assert.rejects(s.getTaskResult(a.taskId), (e: unknown) => {
    assert.ok(e instanceof TaskError);
    assert.equal(e.code, -32603);
    assert.match(e.message, /failed without a stored result: worker lost/);
    return true;
  });
  const b = await s.createTask({}, 2, CALL);
  await s.updateTaskStatus(b.taskId, 'completed');
  await assert.rejects(s.getTaskResult(b.taskId), /completed without a stored result$/);
  await assert.rejects(s.updateTaskStatus(b.taskId, 'working'), TaskTerminalError);
  const c = await s.createTask({}, 3, CALL);
  await assert.rejects(s.updateTaskStatus(c.taskId, 'done' as never), (e: unknown) => e instanceof TaskError && e.code === -32602);
  await assert.rejects(s.updateTaskStatus(c.taskId, 'working', 1 as never), /statusMessage must be a string/);
  await s.close();
});

test('SDK getTaskResult: -32602 "no result yet" while not terminal; TaskNotFoundError when missing', async () => {
  const s = store();
  const { taskId } = await s.createTask({}, 1, CALL);
  await assert.rejects(s.getTaskResult(taskId), (e: unknown) => {
    assert.ok(e instanceof TaskError);
    assert.equal(e.code, -32602);
    assert.equal(e.message, `Task ${taskId} has no result yet (status 'working')`);
    return true;
  });
  await assert.rejects(s.getTaskResult('nope'), TaskNotFoundError);
  await s.storeTaskResult(taskId, 'failed', { content: [], isError: true });
  assert.deepEqual(await s.getTaskResult(taskId), { content: [], isError: true });
  assert.equal((await s.getTask(taskId))!.status, 'failed');
  await s.close();
});

test('R70: unknown ids are null / TaskNotFoundError everywhere', async () => {
  const s = store();
  assert.equal(await s.getTask('missing'), null);
  assert.equal(await s.getTaskState('missing'), null);
  const notFound = (e: unknown) => e instanceof TaskNotFoundError && e.code === -32602 && e.taskId === 'missing';
  await assert.rejects(s.updateTask('missing', { status: 'cancelled' }), notFound);
  await assert.rejects(s.finishTask('missing', { status: 'completed', outcome: { kind: 'result', result: {} } }), notFound);
  await assert.rejects(s.storeTaskResult('missing', 'completed', {}), notFound);
  await assert.rejects(s.updateTaskStatus('missing', 'cancelled'), notFound);
  await assert.rejects(s.getTaskOutcome('missing'), notFound);
  await assert.rejects(s.getTaskResult('missing'), notFound);
  assert.equal(await s.deleteTask('missing'), false);
  await s.close();
});

test('R85 R86: scopes are exact-match; other scopes get not found and never see the task', async () => {
  const s = store();
  const anon = await s.createTask({}, 1, CALL);
  const alice = await s.createTask({}, 2, CALL, 'alice');
  const bob = await s.createTask({}, 3, CALL, 'bob');
  const cases: [string, string | undefined, (string | undefined)[]][] = [
    [anon.taskId, undefined, ['alice', 'bob', '']],
    [alice.taskId, 'alice', [undefined, 'bob', 'ALICE', '']],
    [bob.taskId, 'bob', [undefined, 'alice']],
  ];
  for (const [taskId, owner, others] of cases) {
    assert.equal((await s.getTask(taskId, owner))!.taskId, taskId);
    for (const other of others) {
      assert.equal(await s.getTask(taskId, other), null);
      assert.equal(await s.getTaskState(taskId, other), null);
      await assert.rejects(s.updateTask(taskId, { status: 'cancelled' }, other), TaskNotFoundError);
      await assert.rejects(s.updateTaskStatus(taskId, 'cancelled', undefined, other), TaskNotFoundError);
      await assert.rejects(s.finishTask(taskId, { status: 'completed', outcome: { kind: 'result', result: {} } }, other), TaskNotFoundError);
      await assert.rejects(s.storeTaskResult(taskId, 'completed', {}, other), TaskNotFoundError);
      await assert.rejects(s.getTaskResult(taskId, other), TaskNotFoundError);
      await assert.rejects(s.getTaskOutcome(taskId, other), TaskNotFoundError);
      assert.equal(await s.deleteTask(taskId, other), false);
      assert.ok(!(await s.listTasks(undefined, other)).tasks.some((t) => t.taskId === taskId));
    }
    assert.deepEqual((await s.listTasks(undefined, owner)).tasks.map((t) => t.taskId), [taskId]);
    assert.equal((await s.getTask(taskId, owner))!.status, 'working', 'nothing changed');
  }
  await s.close();
});

test('returned Task objects are fresh and carry only wire fields', async () => {
  const s = store();
  const created = await s.createTask({}, 1, CALL, 'scope');
  await s.updateTask(created.taskId, { statusMessage: 'm' }, 'scope');
  const views = [
    await s.getTask(created.taskId, 'scope'),
    (await s.getTaskState(created.taskId, 'scope'))!.task,
    (await s.listTasks(undefined, 'scope')).tasks[0],
    await s.updateTask(created.taskId, {}, 'scope'),
  ];
  for (const view of views) {
    assert.ok(view);
    assert.deepEqual(Object.keys(view).sort(), WIRE_KEYS);
  }
  (views[0] as { status: string }).status = 'completed';
  assert.equal((await s.getTask(created.taskId, 'scope'))!.status, 'working');
  created.ttl = 1;
  assert.notEqual((await s.getTask(created.taskId, 'scope'))!.ttl, 1);
  await s.close();
});

test('deleteTask removes the task and its outcome', async () => {
  const s = store();
  const { taskId } = await s.createTask({}, 1, CALL, 'x');
  await s.storeTaskResult(taskId, 'completed', { content: [] }, 'x');
  assert.equal(await s.deleteTask(taskId, 'x'), true);
  assert.equal(await s.getTask(taskId, 'x'), null);
  await assert.rejects(s.getTaskResult(taskId, 'x'), TaskNotFoundError);
  assert.equal(await s.deleteTask(taskId, 'x'), false);
  assert.equal(s.size, 0);
  await s.close();
});

test('R89: maxTasks bounds the store across scopes (TaskLimitError -32600)', async () => {
  const s = store({ limits: { maxTasks: 3 } });
  await s.createTask({}, 1, CALL, 'a');
  await s.createTask({}, 2, CALL, 'b');
  const c = await s.createTask({}, 3, CALL);
  await assert.rejects(s.createTask({}, 4, CALL, 'd'), (e: unknown) => {
    assert.ok(e instanceof TaskLimitError);
    assert.equal(e.code, -32600);
    assert.equal(e.limit, 'maxTasks');
    assert.equal(e.max, 3);
    return true;
  });
  // terminal tasks still count towards maxTasks (they hold results) until deleted or expired
  await s.storeTaskResult(c.taskId, 'completed', {});
  await assert.rejects(s.createTask({}, 5, CALL), TaskLimitError);
  await s.deleteTask(c.taskId);
  await s.createTask({}, 6, CALL);
  assert.equal(s.size, 3);
  await s.close();
});

test('R89: maxActiveTasksPerScope counts only unfinished tasks of that scope', async () => {
  const s = store({ limits: { maxActiveTasksPerScope: 2 } });
  const a1 = await s.createTask({}, 1, CALL, 'a');
  const a2 = await s.createTask({}, 2, CALL, 'a');
  await assert.rejects(s.createTask({}, 3, CALL, 'a'), (e: unknown) => e instanceof TaskLimitError && e.limit === 'maxActiveTasksPerScope' && e.max === 2);
  await s.createTask({}, 4, CALL, 'b');
  await s.createTask({}, 5, CALL);
  await s.createTask({}, 6, CALL);
  await assert.rejects(s.createTask({}, 7, CALL), TaskLimitError, 'the anonymous scope is a scope too');
  await s.updateTask(a1.taskId, { status: 'input_required' }, 'a');
  await assert.rejects(s.createTask({}, 8, CALL, 'a'), TaskLimitError, 'input_required is active');
  await s.updateTask(a1.taskId, { status: 'cancelled' }, 'a');
  const a3 = await s.createTask({}, 9, CALL, 'a');
  await s.storeTaskResult(a2.taskId, 'completed', {}, 'a');
  await s.createTask({}, 10, CALL, 'a');
  await assert.rejects(s.createTask({}, 11, CALL, 'a'), TaskLimitError);
  await s.deleteTask(a3.taskId, 'a'); // deleting an active task frees its slot
  await s.createTask({}, 12, CALL, 'a');
  await s.close();
});

test('close() is idempotent; afterwards every method rejects with StoreClosedError', async () => {
  const s = store();
  const { taskId } = await s.createTask({}, 1, CALL);
  assert.equal(s.timerArmed, true);
  await s.close();
  await s.close();
  assert.equal(s.timerArmed, false);
  const calls: Promise<unknown>[] = [
    s.createTask({}, 2, CALL),
    s.getTask(taskId),
    s.getTaskState(taskId),
    s.updateTask(taskId, {}),
    s.finishTask(taskId, { status: 'completed', outcome: { kind: 'result', result: {} } }),
    s.getTaskOutcome(taskId),
    s.waitForUpdate(taskId, 0),
    s.deleteTask(taskId),
    s.getTaskResult(taskId),
    s.storeTaskResult(taskId, 'completed', {}),
    s.updateTaskStatus(taskId, 'cancelled'),
    s.listTasks(),
  ];
  for (const call of calls) await assert.rejects(call, (e: unknown) => e instanceof StoreClosedError && e.code === -32603);
});

test('R64: listTasks rejects foreign cursors with InvalidCursorError', async () => {
  const s = store();
  await s.createTask({}, 1, CALL);
  await assert.rejects(s.listTasks('garbage'), (e: unknown) => e instanceof InvalidCursorError && e.code === -32602);
  await s.close();
});
