/** Checks on status transitions, versions, timestamps and terminal immutability (R27, R28, R39, R72). */
import assert from 'node:assert/strict';
import type { Task, TaskStatus } from '@modelcontextprotocol/sdk/types.js';
import { TaskCancelledError, TaskTerminalError } from '../../core/errors.js';
import type { TaskOutcome, TaskStore, TaskUpdate } from '../../core/taskStore.js';
import { assertIsoTimestamp, assertNotOlder, assertTaskShape } from '../assertions.js';
import { rejectsWith, sleepUntil } from '../guards.js';
import { storeCheck, toolResult, type StoreSuite } from './harness.js';

type Terminal = 'completed' | 'failed' | 'cancelled';

/** One way of making a task terminal. */
interface TerminalRoute {
  name: string;
  status: Terminal;
  apply(store: TaskStore, taskId: string): Promise<unknown>;
}

const ROUTES: TerminalRoute[] = [
  { name: 'finishTask(completed, result)', status: 'completed', apply: (s, id) => s.finishTask(id, { status: 'completed', outcome: { kind: 'result', result: toolResult('ok') }, statusMessage: 'done' }) },
  { name: 'finishTask(failed, error)', status: 'failed', apply: (s, id) => s.finishTask(id, { status: 'failed', outcome: { kind: 'error', error: { code: -32001, message: 'boom', data: { why: 'test' } } } }) },
  { name: 'storeTaskResult(completed)', status: 'completed', apply: (s, id) => s.storeTaskResult(id, 'completed', toolResult('ok')) },
  { name: 'storeTaskResult(failed, isError)', status: 'failed', apply: (s, id) => s.storeTaskResult(id, 'failed', toolResult('bad', true)) },
  { name: 'updateTaskStatus(completed)', status: 'completed', apply: (s, id) => s.updateTaskStatus(id, 'completed', 'done') },
  { name: 'updateTaskStatus(failed)', status: 'failed', apply: (s, id) => s.updateTaskStatus(id, 'failed') },
  { name: 'updateTask(cancelled)', status: 'cancelled', apply: (s, id) => s.updateTask(id, { status: 'cancelled', statusMessage: 'stopped' }) },
  { name: 'updateTaskStatus(cancelled)', status: 'cancelled', apply: (s, id) => s.updateTaskStatus(id, 'cancelled') },
];

/** Every way of trying to change a task, each of which must fail on a terminal task. */
function mutations(store: TaskStore, id: string): Array<[string, () => Promise<unknown>]> {
  const statuses: TaskStatus[] = ['working', 'input_required', 'completed', 'failed', 'cancelled'];
  return [
    ['updateTask({statusMessage})', () => store.updateTask(id, { statusMessage: 'late' })],
    ...(['working', 'input_required', 'cancelled'] as const).map((status): [string, () => Promise<unknown>] => [`updateTask({status: ${status}})`, () => store.updateTask(id, { status })]),
    ['finishTask(completed)', () => store.finishTask(id, { status: 'completed', outcome: { kind: 'result', result: toolResult('late') }, statusMessage: 'late' })],
    ['finishTask(failed)', () => store.finishTask(id, { status: 'failed', outcome: { kind: 'error', error: { code: -32603, message: 'late' } } })],
    ['storeTaskResult(completed)', () => store.storeTaskResult(id, 'completed', toolResult('late'))],
    ['storeTaskResult(failed)', () => store.storeTaskResult(id, 'failed', toolResult('late', true))],
    ...statuses.map((status): [string, () => Promise<unknown>] => [`updateTaskStatus(${status})`, () => store.updateTaskStatus(id, status, 'late')]),
  ];
}

async function snapshot(store: TaskStore, id: string): Promise<{ state: unknown; outcome: TaskOutcome | null }> {
  return { state: await store.getTaskState(id), outcome: await store.getTaskOutcome(id) };
}

/** Registers the lifecycle checks. */
export function lifecycleChecks(suite: StoreSuite): void {
  storeCheck(suite, 'R27, R39: working ⇄ input_required changes bump the version and keep lastUpdatedAt non-decreasing', async ({ store, create }) => {
    const created = await create();
    let previous = (await store.getTaskState(created.taskId))!;
    const steps: Array<{ update: TaskUpdate; status: TaskStatus; message: string | undefined }> = [
      { update: { statusMessage: 'a' }, status: 'working', message: 'a' },
      { update: { status: 'input_required' }, status: 'input_required', message: 'a' },
      { update: { status: 'working', statusMessage: 'b' }, status: 'working', message: 'b' },
      { update: { status: 'input_required', statusMessage: 'c' }, status: 'input_required', message: 'c' },
      { update: { statusMessage: 'd' }, status: 'input_required', message: 'd' },
      { update: { status: 'working' }, status: 'working', message: 'd' },
    ];
    for (const { update, status, message } of steps) {
      const what = `updateTask(${JSON.stringify(update)})`;
      const returned = await store.updateTask(created.taskId, update);
      assertTaskShape(returned, what);
      const state = (await store.getTaskState(created.taskId))!;
      assert.deepEqual(state.task, returned, `${what}: getTaskState shows what updateTask returned`);
      assert.equal(state.task.status, status, `${what}: status`);
      assert.equal(state.task.statusMessage, message, `${what}: an absent field keeps its value`);
      assert.ok(state.version > previous.version, `${what}: version must increase (${previous.version} → ${state.version})`);
      assertNotOlder(previous.task, state.task, what);
      previous = state;
    }
    const finished = await store.finishTask(created.taskId, { status: 'completed', outcome: { kind: 'result', result: toolResult('x') } });
    assert.equal(finished.status, 'completed');
    assert.equal(finished.statusMessage, 'd', 'finishTask without statusMessage keeps the current one');
    const last = (await store.getTaskState(created.taskId))!;
    assert.ok(last.version > previous.version, 'finishTask must increase the version');
    assertNotOlder(previous.task, last.task, 'finishTask');
  });

  storeCheck(suite, 'R39: lastUpdatedAt moves to the time of a later change, createdAt stays', async ({ store, create }) => {
    const tolerance = suite.options.clockToleranceMs;
    const task = await create();
    let previous: Task = task;
    let previousLocal = Date.now();
    const changes: Array<(id: string) => Promise<unknown>> = [
      (id) => store.updateTask(id, { statusMessage: 'one' }),
      (id) => store.updateTaskStatus(id, 'input_required', 'two'),
      (id) => store.finishTask(id, { status: 'completed', outcome: { kind: 'result', result: toolResult('x') }, statusMessage: 'three' }),
    ];
    for (const [index, change] of changes.entries()) {
      // Let real time pass on both clocks, so that the change happens strictly later.
      await sleepUntil(Math.max(Date.parse(previous.lastUpdatedAt), previousLocal) + 3);
      const before = Date.now();
      await change(task.taskId);
      const after = Date.now();
      const current = (await store.getTask(task.taskId))!;
      const updated = assertIsoTimestamp(current.lastUpdatedAt, 'lastUpdatedAt');
      assert.ok(updated > Date.parse(previous.lastUpdatedAt), `change ${index + 1}: lastUpdatedAt must move forward (${previous.lastUpdatedAt} → ${current.lastUpdatedAt})`);
      assert.ok(updated >= before - tolerance && updated <= after + tolerance, `change ${index + 1}: lastUpdatedAt ${current.lastUpdatedAt} is not the time of the change`);
      assert.equal(current.createdAt, task.createdAt, 'createdAt never changes (R38)');
      previous = current;
      previousLocal = after;
    }
  });

  for (const route of ROUTES) {
    storeCheck(suite, `R28${route.status === 'cancelled' ? ', R72' : ''}: after ${route.name} every change throws TaskTerminalError and changes nothing`, async ({ store, create }) => {
      const task = await create(undefined, {});
      await store.updateTask(task.taskId, { statusMessage: 'running' });
      await route.apply(store, task.taskId);
      const before = await snapshot(store, task.taskId);
      assert.equal((before.state as { task: Task }).task.status, route.status);
      for (const [name, attempt] of mutations(store, task.taskId)) {
        const error = await rejectsWith(attempt(), TaskTerminalError, `${name} on a ${route.status} task`);
        assert.equal(error.status, route.status, `${name}: TaskTerminalError.status`);
        assert.equal(error.taskId, task.taskId, `${name}: TaskTerminalError.taskId`);
        assert.equal(error.code, -32602, `${name}: code -32602`);
        assert.deepEqual(await snapshot(store, task.taskId), before, `${name} on a ${route.status} task must change nothing (task, version, outcome)`);
      }
    });
  }

  storeCheck(suite, 'R72: a cancelled task stays cancelled, keeps no outcome, and its result is TaskCancelledError', async ({ store, create }) => {
    const task = await create();
    await store.updateTask(task.taskId, { status: 'input_required', statusMessage: 'asking' });
    const cancelled = await store.updateTask(task.taskId, { status: 'cancelled' });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.statusMessage, 'asking');
    await rejectsWith(store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'result', result: toolResult('late') } }), TaskTerminalError, 'finishTask after cancel');
    await rejectsWith(store.storeTaskResult(task.taskId, 'completed', toolResult('late')), TaskTerminalError, 'storeTaskResult after cancel');
    await rejectsWith(store.updateTaskStatus(task.taskId, 'failed', 'late'), TaskTerminalError, 'updateTaskStatus after cancel');
    const now = (await store.getTask(task.taskId))!;
    assert.equal(now.status, 'cancelled');
    assert.equal(now.statusMessage, 'asking');
    assert.equal(await store.getTaskOutcome(task.taskId), null, 'a cancelled task has no outcome');
    const error = await rejectsWith(store.getTaskResult(task.taskId), TaskCancelledError, 'getTaskResult on a cancelled task');
    assert.equal(error.code, -32602);
    assert.deepEqual(error.data, { taskId: task.taskId, status: 'cancelled' });
  });
}
