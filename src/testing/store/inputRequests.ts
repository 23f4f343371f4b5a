/**
 * Checks on pending input requests (what the 2026-07-28 extension shows in `inputRequests` and
 * answers with `tasks/update`): the status moves with them atomically, keys are ignored once
 * answered, the owner check and the bound hold.
 */
import assert from 'node:assert/strict';
import { QueueFullError, TaskNotFoundError, TaskTerminalError } from '../../core/errors.js';
import { MAX_PENDING_INPUT_REQUESTS, type PendingInputRequest } from '../../core/taskStore.js';
import { rejectsWith, withDeadline } from '../guards.js';
import { storeCheck, toolResult, type StoreSuite } from './harness.js';

/** A form elicitation as a task would ask it. */
function elicitation(message: string): PendingInputRequest {
  return {
    method: 'elicitation/create',
    params: { mode: 'form', message, requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } },
  };
}

/** Registers the input request checks. */
export function inputRequestChecks(suite: StoreSuite): void {
  storeCheck(suite, 'addInputRequest makes the task input_required with the request readable, in one change', async ({ store, create }) => {
    const task = await create();
    const before = (await store.getTaskState(task.taskId))!;
    const waiter = store.waitForUpdate(task.taskId, before.version);
    const added = await store.addInputRequest(task.taskId, 'k1', elicitation('first?'));
    assert.equal(added.task.status, 'input_required');
    assert.equal(added.statusChanged, true);
    const woken = await withDeadline(waiter, suite.options.hangTimeoutMs, 'waitForUpdate woken by addInputRequest');
    assert.equal(woken?.task.status, 'input_required', 'the first state after the add is input_required');
    assert.deepEqual(await store.getInputRequests(task.taskId), { k1: elicitation('first?') }, 'read back verbatim');
    const second = await store.addInputRequest(task.taskId, 'k2', elicitation('second?'));
    assert.equal(second.statusChanged, false, 'already input_required');
    assert.ok((await store.getTaskState(task.taskId))!.version > woken!.version, 'every add is a new version');
    assert.deepEqual(await store.getInputRequests(task.taskId), { k1: elicitation('first?'), k2: elicitation('second?') });
  });

  storeCheck(suite, 'removeInputRequest: partial answers keep input_required; the last one brings working back; answered keys are ignored', async ({ store, create }) => {
    const task = await create();
    await store.addInputRequest(task.taskId, 'a', elicitation('a?'));
    await store.addInputRequest(task.taskId, 'b', elicitation('b?'));
    const first = await store.removeInputRequest(task.taskId, 'a');
    assert.deepEqual([first?.task.status, first?.statusChanged], ['input_required', false]);
    assert.deepEqual(Object.keys(await store.getInputRequests(task.taskId)), ['b'], 'only the pending key is left');
    assert.equal(await store.removeInputRequest(task.taskId, 'a'), null, 'a key answered already changes nothing');
    assert.equal(await store.removeInputRequest(task.taskId, 'never-issued'), null, 'an unknown key changes nothing');
    const version = (await store.getTaskState(task.taskId))!.version;
    const last = await store.removeInputRequest(task.taskId, 'b');
    assert.deepEqual([last?.task.status, last?.statusChanged], ['working', true]);
    assert.ok((await store.getTaskState(task.taskId))!.version > version);
    assert.deepEqual(await store.getInputRequests(task.taskId), {}, 'a working task shows no input requests');
  });

  storeCheck(suite, 'a terminal task keeps no input requests and refuses new ones', async ({ store, create }) => {
    const task = await create();
    await store.addInputRequest(task.taskId, 'k', elicitation('k?'));
    await store.updateTask(task.taskId, { status: 'cancelled' });
    assert.deepEqual(await store.getInputRequests(task.taskId), {});
    assert.equal(await store.removeInputRequest(task.taskId, 'k'), null, 'removing from a terminal task changes nothing');
    await rejectsWith(store.addInputRequest(task.taskId, 'k2', elicitation('late')), TaskTerminalError, 'addInputRequest on a terminal task');
    const done = await create();
    await store.addInputRequest(done.taskId, 'k', elicitation('k?'));
    await store.finishTask(done.taskId, { status: 'completed', outcome: { kind: 'result', result: toolResult('ok') } });
    assert.deepEqual(await store.getInputRequests(done.taskId), {});
    assert.equal((await store.getTaskState(done.taskId))!.task.status, 'completed');
  });

  storeCheck(suite, 'R85: input requests of another scope are "not found"; unknown tasks too', async ({ store, create, newScope }) => {
    const owner = newScope('owner');
    const task = await create(owner);
    await store.addInputRequest(task.taskId, 'k', elicitation('k?'), owner);
    const other = newScope('other');
    await rejectsWith(store.getInputRequests(task.taskId, other), TaskNotFoundError, 'getInputRequests from another scope');
    await rejectsWith(store.removeInputRequest(task.taskId, 'k', other), TaskNotFoundError, 'removeInputRequest from another scope');
    await rejectsWith(store.addInputRequest(task.taskId, 'k2', elicitation('x'), other), TaskNotFoundError, 'addInputRequest from another scope');
    await rejectsWith(store.getInputRequests(task.taskId), TaskNotFoundError, 'getInputRequests from the anonymous scope');
    await rejectsWith(store.getInputRequests('no-such-task'), TaskNotFoundError, 'getInputRequests of an unknown task');
    assert.deepEqual(Object.keys(await store.getInputRequests(task.taskId, owner)), ['k'], 'the owner still sees it');
  });

  storeCheck(suite, `R89: at most ${MAX_PENDING_INPUT_REQUESTS} input requests pending per task`, async ({ store, create }) => {
    const task = await create();
    for (let i = 0; i < MAX_PENDING_INPUT_REQUESTS; i++) await store.addInputRequest(task.taskId, `k${i}`, elicitation(`${i}?`));
    await rejectsWith(store.addInputRequest(task.taskId, 'one-more', elicitation('no')), QueueFullError, 'one input request too many');
    assert.equal(Object.keys(await store.getInputRequests(task.taskId)).length, MAX_PENDING_INPUT_REQUESTS, 'nothing was added');
    await store.removeInputRequest(task.taskId, 'k0');
    await store.addInputRequest(task.taskId, 'one-more', elicitation('now yes'));
  });

  storeCheck(suite, 'bad keys and requests get -32602 and change nothing', async ({ store, create }) => {
    const task = await create();
    for (const key of ['', 'x'.repeat(257), 42 as unknown as string]) {
      const error = await rejectsWith(store.addInputRequest(task.taskId, key, elicitation('?')), Error, `addInputRequest with key ${JSON.stringify(key)}`);
      assert.equal((error as { code?: number }).code, -32602);
    }
    const noMethod = { params: {} } as unknown as PendingInputRequest;
    assert.equal(((await rejectsWith(store.addInputRequest(task.taskId, 'k', noMethod), Error, 'a request without method')) as { code?: number }).code, -32602);
    assert.equal((await store.getTaskState(task.taskId))!.task.status, 'working');
  });
}
