/**
 * A RedisTaskStore handed to the SDK's McpServer as its `taskStore` (DESIGN §3): the SDK's own
 * registerToolTask and built-in tasks/get, tasks/list, tasks/result and tasks/cancel handlers work
 * on it — here on two McpServers sharing one Redis, as two processes would.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { z } from 'zod';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  CallToolResultSchema,
  CancelTaskResultSchema,
  CreateTaskResultSchema,
  GetTaskResultSchema,
  ListTasksResultSchema,
  McpError,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { RedisTaskStore } from '../../../src/stores/redis/index.js';
import { describeWithRedis, suiteRedis } from '../../support/redisServer.js';
import { freshPrefix } from './helpers.js';

/** An McpServer whose SDK task machinery runs on `store`, with a task tool `upper` (finishes after returning). */
function sdkServer(store: RedisTaskStore): McpServer {
  const server = new McpServer(
    { name: 'redis-sdk-store', version: '1.0.0' },
    { taskStore: store, capabilities: { tasks: { requests: { tools: { call: {} } }, list: {}, cancel: {} } } },
  );
  server.experimental.tasks.registerToolTask(
    'upper',
    { description: 'Upper-cases text in a task', inputSchema: { text: z.string(), hold: z.boolean().optional() }, execution: { taskSupport: 'required' } },
    {
      createTask: async ({ text, hold }, extra) => {
        const task = await extra.taskStore.createTask({ ttl: extra.taskRequestedTtl, pollInterval: 10 });
        if (!hold) {
          setImmediate(() => void extra.taskStore.storeTaskResult(task.taskId, 'completed', { content: [{ type: 'text', text: text.toUpperCase() }] }));
        }
        return { task };
      },
      getTask: async (_args, extra) => (await extra.taskStore.getTask(extra.taskId))!,
      getTaskResult: async (_args, extra) => (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
    },
  );
  return server;
}

async function connected(server: McpServer): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'redis-sdk-client', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return client;
}

describeWithRedis('RedisTaskStore as the SDK McpServer taskStore', () => {
  const redis = suiteRedis();

  it('registerToolTask and the SDK\'s tasks/* handlers work on it, across two servers sharing Redis', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('sdk');
    const [storeA, storeB] = [new RedisTaskStore(url, { keyPrefix: prefix }), new RedisTaskStore(url, { keyPrefix: prefix })];
    const [serverA, serverB] = [sdkServer(storeA), sdkServer(storeB)];
    const [onA, onB] = [await connected(serverA), await connected(serverB)];
    try {
      const created = await onA.request({ method: 'tools/call', params: { name: 'upper', arguments: { text: 'hello' }, task: { ttl: 60_000 } } }, CreateTaskResultSchema);
      const { taskId } = created.task;
      assert.equal(created.task.status, 'working');
      const result = await onB.request({ method: 'tasks/result', params: { taskId } }, CallToolResultSchema);
      assert.deepEqual(result.content, [{ type: 'text', text: 'HELLO' }], 'server B returns the result of the task created on A');
      assert.equal((await onB.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema)).status, 'completed');
      const listed = await onA.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
      assert.deepEqual(listed.tasks.map((t) => t.taskId), [taskId]);
      const held = await onA.request({ method: 'tools/call', params: { name: 'upper', arguments: { text: 'x', hold: true }, task: { ttl: 60_000 } } }, CreateTaskResultSchema);
      const cancelled = await onB.request({ method: 'tasks/cancel', params: { taskId: held.task.taskId } }, CancelTaskResultSchema);
      assert.equal(cancelled.status, 'cancelled');
      assert.equal((await storeA.getTask(held.task.taskId))?.status, 'cancelled');
      await assert.rejects(onA.request({ method: 'tasks/cancel', params: { taskId: held.task.taskId } }, CancelTaskResultSchema), (e: unknown) => e instanceof McpError && e.code === -32602);
    } finally {
      await Promise.allSettled([onA.close(), onB.close(), serverA.close(), serverB.close()]);
      await Promise.all([storeA.close(), storeB.close()]);
    }
  });
});
