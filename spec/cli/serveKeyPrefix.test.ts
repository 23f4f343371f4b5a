/** `mcp-tasks serve --key-prefix P`: deployments sharing one Redis keep apart (real redis-server). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startReferenceServer } from '../../src/cli/serve/index.js';
import { describeWithRedis, suiteRedis } from '../support/redisServer.js';
import { createTask, getTask, httpClient } from './serveHelpers.js';

describeWithRedis('serve --key-prefix', () => {
  const redis = suiteRedis();

  test('two deployments on one Redis with their own key prefixes: keys apart, tasks invisible to each other', async (t) => {
    const { url } = await redis();
    const a = await startReferenceServer({ port: 0, redisUrl: url, keyPrefix: 'tenant-a', demoAuth: true });
    t.after(() => a.close());
    const b = await startReferenceServer({ port: 0, redisUrl: url, keyPrefix: 'tenant-b', demoAuth: true });
    t.after(() => b.close());
    const alice = await httpClient(a.url!, { token: 'alice' });
    t.after(() => alice.close());
    const aliceAtB = await httpClient(b.url!, { token: 'alice' });
    t.after(() => aliceAtB.close());
    const task = await createTask(alice, 'tasks_conformance_optional', { text: 'a' });
    assert.equal((await getTask(alice, task.taskId)).taskId, task.taskId);
    await assert.rejects(getTask(aliceAtB, task.taskId), /not found/i, 'the same identity on the other deployment does not see it');
    const inspect = new Redis(url);
    t.after(() => inspect.quit());
    const keys = await inspect.keys('*');
    assert.ok(keys.length > 0);
    const owner = (key: string): string => /^\{?(tenant-[ab])[}:]/.exec(key)?.[1] ?? 'none';
    assert.ok(keys.every((key) => owner(key) !== 'none'), keys.join(', '));
    assert.ok(keys.some((key) => owner(key) === 'tenant-a' && key.includes(task.taskId)));
  });
});
