/** TaskLeases: the runtime takes a task's lease while its work runs (shared backends, docs/redis.md). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskLeases } from '../../src/core/leases.js';
import { InMemoryTaskMessageQueue, InMemoryTaskResponseChannel, InMemoryTaskStore } from '../../src/stores/memory/index.js';
import { TaskSupport } from '../../src/server/index.js';
import { callAsTask, cancelTask, getTask, inMemory, rejectsWithCode, taskResult, textOf, toolTaskResult } from './harness.js';

/** Leases that record what the runtime does, optionally refusing to acquire. */
class RecordingLeases implements TaskLeases {
  readonly events: string[] = [];
  closed = false;
  constructor(private readonly refuse = false, private readonly failRelease = false) {}
  async acquire(taskId: string): Promise<void> {
    this.events.push(`acquire ${taskId}`);
    if (this.refuse) throw new Error('lease backend unavailable');
  }
  async release(taskId: string): Promise<void> {
    this.events.push(`release ${taskId}`);
    if (this.failRelease) throw new Error('release failed');
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function supportWith(leases: TaskLeases, ownsBackends = false): TaskSupport {
  return new TaskSupport({
    store: new InMemoryTaskStore(),
    queue: new InMemoryTaskMessageQueue(),
    responseChannel: new InMemoryTaskResponseChannel(),
    leases,
    ownsBackends,
  });
}

test('R72 (leases): acquired when the work starts, released when it ends (completed and cancelled)', async (t) => {
  const leases = new RecordingLeases(false, true);
  const support = supportWith(leases, true);
  const h = await inMemory({ enable: { taskSupport: support } });
  t.after(async () => {
    await h.close();
    await support.close();
    assert.equal(leases.closed, true);
  });
  const done = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'leased' });
  assert.equal(textOf(await toolTaskResult(h.client, done.taskId)), 'leased');
  await support.settled(done.taskId);
  const held = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  await cancelTask(h.client, held.taskId);
  await support.settled(held.taskId);
  assert.deepEqual(leases.events, [`acquire ${done.taskId}`, `release ${done.taskId}`, `acquire ${held.taskId}`, `release ${held.taskId}`]);
});

test('R81 (leases): a task whose lease cannot be taken fails clearly instead of staying working', async (t) => {
  const leases = new RecordingLeases(true);
  const support = supportWith(leases);
  const h = await inMemory({ enable: { taskSupport: support } });
  t.after(async () => {
    await h.close();
    await support.close();
    await support.store.close();
    await support.queue.close();
    await support.responseChannel.close();
  });
  const task = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'never runs' });
  const error = await rejectsWithCode(taskResult(h.client, task.taskId), -32603);
  assert.match(error.message, /could not start: Internal error: lease backend unavailable/);
  const got = await getTask(h.client, task.taskId);
  assert.equal(got.status, 'failed');
  assert.match(got.statusMessage ?? '', /could not start/);
});
