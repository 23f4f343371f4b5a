import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { inMemory } from './harness.js';

test('a session with many running tasks raises no MaxListenersExceededWarning (one session signal, one listener per task)', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => {
    warnings.push(`${warning.name}: ${warning.message}`);
  };
  process.on('warning', onWarning);
  const h = await inMemory();
  try {
    const created = await Promise.all(
      Array.from({ length: 25 }, () =>
        h.client.request({ method: 'tools/call', params: { name: 'tasks_conformance_hold', arguments: { holdMs: 60_000 }, task: { ttl: 60_000 } } }, CreateTaskResultSchema),
      ),
    );
    // warnings are emitted on a later tick: a round trip per task lets them arrive
    for (const { task } of created) await h.client.request({ method: 'tasks/get', params: { taskId: task.taskId } }, CreateTaskResultSchema.shape.task);
    for (const { task } of created) await h.client.request({ method: 'tasks/cancel', params: { taskId: task.taskId } }, CreateTaskResultSchema.shape.task);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings.filter((w) => w.includes('MaxListeners')), []);
  } finally {
    process.off('warning', onWarning);
    await h.close();
  }
});
