/** Checks on stored outcomes: finishTask atomicity, getTaskOutcome and getTaskResult (R48–R51, R80). */
import assert from 'node:assert/strict';
import { TaskCancelledError, TaskError, TaskOutcomeError } from '../../core/errors.js';
import { isTerminal } from '../../core/status.js';
import type { FinishTaskInput, TaskOutcome } from '../../core/taskStore.js';
import { rejectsWith, withDeadline } from '../guards.js';
import { deriveSeed, randomYield, seededRandom } from '../random.js';
import { storeCheck, toolResult, type StoreSuite } from './harness.js';

const FINISHES: Array<{ name: string; input: FinishTaskInput }> = [
  { name: 'completed with a result', input: { status: 'completed', outcome: { kind: 'result', result: toolResult('all good') }, statusMessage: 'finished' } },
  { name: 'failed with an isError result', input: { status: 'failed', outcome: { kind: 'result', result: toolResult('tool said no', true) }, statusMessage: 'tool error' } },
  { name: 'failed with a JSON-RPC error with data', input: { status: 'failed', outcome: { kind: 'error', error: { code: -32042, message: 'custom failure', data: { fixture: true, list: [1, 'two'] } } }, statusMessage: 'protocol error' } },
  { name: 'failed with a JSON-RPC error without data', input: { status: 'failed', outcome: { kind: 'error', error: { code: -32603, message: 'Internal error: x' } }, statusMessage: 'crashed' } },
];

/** Registers the outcome checks. */
export function outcomeChecks(suite: StoreSuite): void {
  storeCheck(suite, 'getTaskOutcome is null while the task is working or input_required', async ({ store, create }) => {
    const task = await create();
    assert.equal(await store.getTaskOutcome(task.taskId), null);
    await store.updateTask(task.taskId, { status: 'input_required' });
    assert.equal(await store.getTaskOutcome(task.taskId), null);
  });

  for (const { name, input } of FINISHES) {
    storeCheck(suite, `R48–R51: finishTask ${name}: status, message and outcome stored together and read back verbatim`, async ({ store, create }) => {
      const task = await create();
      const before = (await store.getTaskState(task.taskId))!;
      const waiter = store.waitForUpdate(task.taskId, before.version);
      const finished = await store.finishTask(task.taskId, structuredClone(input));
      assert.equal(finished.status, input.status);
      assert.equal(finished.statusMessage, input.statusMessage);
      const woken = await withDeadline(waiter, suite.options.hangTimeoutMs, 'waitForUpdate woken by finishTask');
      assert.ok(woken, 'the waiter sees the task');
      assert.equal(woken.task.status, input.status, 'the first state after finishTask is already terminal (atomic)');
      assert.equal(woken.task.statusMessage, input.statusMessage, 'the first state after finishTask already has its message (atomic)');
      assert.deepEqual(await store.getTaskOutcome(task.taskId), input.outcome, 'getTaskOutcome returns the outcome verbatim');
      if (input.outcome.kind === 'result') {
        assert.deepEqual(await store.getTaskResult(task.taskId), input.outcome.result, 'getTaskResult returns the stored result (R50, R80)');
      } else {
        const error = await rejectsWith(store.getTaskResult(task.taskId), TaskOutcomeError, 'getTaskResult of an error outcome');
        assert.equal(error.code, input.outcome.error.code);
        assert.equal(error.message, input.outcome.error.message);
        assert.deepEqual(error.data, input.outcome.error.data);
        assert.deepEqual(error.toJsonRpc(), input.outcome.error, 'the thrown error maps back to the same JSON-RPC error (R50)');
      }
    });
  }

  storeCheck(suite, 'finishTask is atomic: no reader ever sees an outcome without the terminal status, or the reverse', async ({ store, create, t }) => {
    const seed = deriveSeed(suite.options.seed, 'finish atomicity');
    t.diagnostic(`seed ${seed}`);
    const random = seededRandom(seed);
    const rounds = Math.max(20, Math.min(500, Math.floor(suite.options.interleavings / 20)));
    for (let round = 0; round < rounds; round++) {
      const { taskId } = await create();
      await store.updateTask(taskId, { statusMessage: 'before' });
      const input = FINISHES[round % FINISHES.length]!.input;
      const reader = (async () => {
        for (;;) {
          const outcome = await store.getTaskOutcome(taskId);
          await randomYield(random);
          const state = (await store.getTaskState(taskId))!;
          if (outcome !== null) {
            assert.ok(isTerminal(state.task.status), `round ${round} (seed ${seed}): an outcome was visible before the terminal status`);
          }
          if (isTerminal(state.task.status)) {
            assert.equal(state.task.statusMessage, input.statusMessage, `round ${round} (seed ${seed}): terminal status visible before the message`);
            assert.deepEqual(await store.getTaskOutcome(taskId), input.outcome, `round ${round} (seed ${seed}): terminal status visible before the outcome`);
            return;
          }
          await randomYield(random);
        }
      })();
      await randomYield(random);
      await store.finishTask(taskId, input);
      await withDeadline(reader, suite.options.hangTimeoutMs, `atomicity reader, round ${round}, seed ${seed}`);
      await store.deleteTask(taskId);
    }
  });

  storeCheck(suite, 'storeTaskResult is finishTask with a result outcome', async ({ store, create }) => {
    for (const status of ['completed', 'failed'] as const) {
      const task = await create();
      const result = toolResult(`as ${status}`, status === 'failed');
      await store.storeTaskResult(task.taskId, status, result);
      assert.equal((await store.getTask(task.taskId))?.status, status);
      assert.deepEqual(await store.getTaskOutcome(task.taskId), { kind: 'result', result } satisfies TaskOutcome);
      assert.deepEqual(await store.getTaskResult(task.taskId), result);
    }
  });

  storeCheck(suite, 'updateTaskStatus moves to any status with its message; completed/failed without a result keep no outcome', async ({ store, create }) => {
    const task = await create();
    await store.updateTaskStatus(task.taskId, 'input_required', 'need input');
    let now = (await store.getTask(task.taskId))!;
    assert.equal(now.status, 'input_required');
    assert.equal(now.statusMessage, 'need input');
    await store.updateTaskStatus(task.taskId, 'working');
    assert.equal((await store.getTask(task.taskId))?.status, 'working');
    for (const status of ['completed', 'failed'] as const) {
      const other = await create();
      await store.updateTaskStatus(other.taskId, status, `${status} without result`);
      now = (await store.getTask(other.taskId))!;
      assert.equal(now.status, status);
      assert.equal(now.statusMessage, `${status} without result`);
      assert.equal(await store.getTaskOutcome(other.taskId), null, `${status} via updateTaskStatus stores no outcome`);
      const error = await rejectsWith(store.getTaskResult(other.taskId), TaskError, `getTaskResult of a ${status} task without outcome`);
      assert.ok(!(error instanceof TaskOutcomeError), 'a missing outcome is not reported as a stored error outcome');
    }
  });

  storeCheck(suite, 'getTaskResult of a non-terminal task throws a typed error, never a plain Error', async ({ store, create }) => {
    const task = await create();
    const error = await rejectsWith(store.getTaskResult(task.taskId), TaskError, 'getTaskResult while working');
    assert.ok(!(error instanceof TaskCancelledError) && !(error instanceof TaskOutcomeError), `a working task has no result: got ${error.name}`);
  });

  storeCheck(suite, 'stored outcomes are snapshots: mutating the input or what was read changes nothing', async ({ store, create }) => {
    const task = await create();
    const result = toolResult('pristine');
    const pristine = structuredClone(result);
    await store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'result', result } });
    (result.content as Array<{ text: string }>)[0]!.text = 'changed after storing';
    const read = (await store.getTaskOutcome(task.taskId)) as { kind: 'result'; result: { content: Array<{ text: string }> } };
    assert.deepEqual(read, { kind: 'result', result: pristine });
    read.result.content[0]!.text = 'changed after reading';
    const got = (await store.getTaskResult(task.taskId)) as { content: Array<{ text: string }> };
    assert.deepEqual(got, pristine);
    got.content[0]!.text = 'changed again';
    assert.deepEqual(await store.getTaskOutcome(task.taskId), { kind: 'result', result: pristine });
  });
}
