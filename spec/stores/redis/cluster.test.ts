/**
 * The Redis backend on a real Redis Cluster (3 masters, 1 replica each, started by the test), in
 * the sharded key layout a Cluster gets by default: the unchanged contract kit, a task lifecycle
 * through the runtime, two `mcp-tasks serve` processes, tasks and work spread over every master,
 * and a master killed mid-run.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import type { Cluster, ClusterOptions } from 'ioredis';
import { describeTaskMessageQueueContract, describeTaskResponseChannelContract, describeTaskStoreContract } from '../../../src/testing/index.js';
import { createRedisBackend, RedisTaskMessageQueue, RedisTaskResponseChannel, RedisTaskStore } from '../../../src/stores/redis/index.js';
import { TaskSupport } from '../../../src/server/index.js';
import { toolCall, warnings } from './helpers.js';
import { CONTROL_COMMANDS, describeWithRedisCluster, RedisCluster } from '../../support/redisCluster.js';
import { callAsTask, inMemory, textOf, toolTaskResult } from '../../server/harness.js';
import { createTask as serveTask, httpClient, startServe, stopServe, taskResult as serveResult, textOf as serveText, within } from '../../cli/serveHelpers.js';

/** What the library asks of a client it is given (see `RedisConnection`): never resend a command whose reply was lost. */
const CLIENT_OPTIONS: ClusterOptions = { redisOptions: { autoResendUnfulfilledCommands: false, commandTimeout: 5_000 } };

const contract = { interleavings: 100, concurrency: 10, shortTtlMs: 800 };

let prefixes = 0;
const fresh = (label: string) => ({ keyPrefix: `${label}-${process.pid}-${++prefixes}`, onWarning: () => undefined });

/** The port of the running node that has a client with pattern subscriptions (the backend's pub/sub connection). */
async function portWithPatterns(cluster: RedisCluster, except?: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const server of cluster.servers) {
      if (server.port === except || !cluster.running(server.port)) continue;
      const node = await cluster.nodeClient(server.port);
      try {
        if (/ psub=[1-9]/.test((await node.client('LIST')) as string)) return server.port;
      } finally {
        node.disconnect();
      }
    }
    if (Date.now() > deadline) throw new Error('no node has a pub/sub client with patterns within 20 s');
    // The connection is moving to another node: Redis offers no event for a client arriving.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}


describeWithRedisCluster('Redis backend on a Redis Cluster', () => {
  let started: Promise<{ cluster: RedisCluster; client: Cluster }> | undefined;
  const shared = () =>
    (started ??= (async () => {
      const cluster = await RedisCluster.start();
      return { cluster, client: await cluster.client(CLIENT_OPTIONS) };
    })());
  after(async () => {
    if (started === undefined) return;
    const { cluster, client } = await started;
    client.disconnect();
    await cluster.stop();
  });

  describeTaskStoreContract('RedisTaskStore on a Cluster', async (options) => new RedisTaskStore((await shared()).client, { ...options, ...fresh('c-store') }), contract);
  describeTaskMessageQueueContract('RedisTaskMessageQueue on a Cluster', async (options) => new RedisTaskMessageQueue((await shared()).client, { ...options, ...fresh('c-queue') }), contract);
  describeTaskResponseChannelContract('RedisTaskResponseChannel on a Cluster', async () => new RedisTaskResponseChannel((await shared()).client, fresh('c-channel')), contract);

  it('TaskSupport on createRedisBackend(Cluster): a lifecycle, with its elicitation, through the runtime', { timeout: 60_000 }, async () => {
    const { client } = await shared();
    const backend = createRedisBackend(client, { ...fresh('c-runtime'), checkEvictionPolicy: false });
    const support = new TaskSupport(backend);
    const h = await inMemory({ enable: { taskSupport: support } });
    try {
      const task = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'Go on?' });
      const result = await within(toolTaskResult(h.client, task.taskId), 20_000, 'tasks/result: not settled within 20 s');
      assert.equal(textOf(result), 'confirmed: true', 'the elicitation made inside the task reached the client and its answer came back');
    } finally {
      await h.close();
      await support.close();
      await backend.close();
    }
  });

  it('tasks of many owners spread over every master: each holds a fair share of the keys and runs a fair share of the commands', { timeout: 60_000 }, async () => {
    // A cluster of its own: the counts are the whole cluster's. (One owner's indexes live on one
    // slot, and so does the deployment's live-task count: spreading needs many owners.)
    const cluster = await RedisCluster.start();
    const client = await cluster.client(CLIENT_OPTIONS);
    const backend = createRedisBackend(client, { ...fresh('c-spread'), checkEvictionPolicy: false });
    const done = { kind: 'result' as const, result: { content: [{ type: 'text' as const, text: 'done' }] } };
    try {
      const { store, queue, leases } = backend;
      const lifecycle = async (i: number): Promise<void> => {
        const scope = `owner-${i % 60}`;
        const task = await store.createTask({}, i, { method: 'tools/call', params: { name: 'spread', arguments: {} } }, scope);
        await leases.acquire(task.taskId);
        await store.finishTask(task.taskId, { status: 'completed', outcome: done }, scope);
        await leases.release(task.taskId);
        await queue.dequeueAll(task.taskId);
        assert.deepEqual(await store.getTaskOutcome(task.taskId, scope), done);
      };
      await lifecycle(-1); // scripts loaded
      await cluster.resetCommandStats();
      const LIFECYCLES = 600;
      for (let i = 0; i < LIFECYCLES; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => lifecycle(i + j)));
      const keys = [...(await cluster.keyCountsPerMaster()).values()];
      const commands = [...(await cluster.commandCallsPerMaster({ exclude: [...CONTROL_COMMANDS, 'script'] })).values()];
      const share = (counts: number[]): number[] => counts.map((n) => n / counts.reduce((x, y) => x + y, 0));
      assert.equal(keys.length, 3);
      // 256 buckets and 60 owners over 3 masters: about a third each.
      for (const part of share(keys)) assert.ok(part > 0.2, `key shares ${share(keys).map((x) => x.toFixed(2)).join(' ')}`);
      for (const part of share(commands)) assert.ok(part > 0.2, `command shares ${share(commands).map((x) => x.toFixed(2)).join(' ')}`);
    } finally {
      await backend.close();
      client.disconnect();
      await cluster.stop();
    }
  });

  it('the node carrying the pub/sub connection dies while a task is waited on: the connection moves to another node, and the waiter gets the change it missed', { timeout: 90_000 }, async () => {
    const cluster = await RedisCluster.start();
    const seeds = cluster.startupNodes;
    const options = fresh('c-subscriber');
    const here = createRedisBackend({ cluster: seeds }, { ...options, checkEvictionPolicy: false, leases: { checkIntervalMs: 0 } });
    const elsewhere = new RedisTaskStore({ cluster: seeds }, options);
    try {
      await here.store.waitForUpdate('0'.repeat(32), 0); // the task pattern is subscribed
      const subscriberPort = await portWithPatterns(cluster);
      // A task whose keys are on another node than the pub/sub connection's.
      let task = await here.store.createTask({}, 1, toolCall);
      while ((await cluster.masterForKey(here.connection.keys.task(task.taskId))).port === subscriberPort) task = await here.store.createTask({}, 1, toolCall);
      // The other process knows the cluster (and the task's node) and has its scripts loaded already.
      await elsewhere.updateTask(task.taskId, { statusMessage: 'before' });
      const { version } = (await here.store.getTaskState(task.taskId))!;
      const waiting = here.store.waitForUpdate(task.taskId, version);
      waiting.catch(() => undefined); // (awaited below; a failure before that must not go unhandled)
      // The node stops: the change's message, forwarded to it, is never delivered ...
      const node = cluster.servers.find((server) => server.port === subscriberPort)!;
      process.kill(node.pid!, 'SIGSTOP');
      const changed = await elsewhere.updateTask(task.taskId, { statusMessage: 'while the pub/sub node was stopped' });
      // ... and then it dies.
      await node.kill();
      const state = await within(waiting, 60_000, 'the waiter across the death of the pub/sub node: not settled within 60 s');
      assert.equal(state?.task.statusMessage, changed.statusMessage);
      assert.notEqual(await portWithPatterns(cluster, subscriberPort), subscriberPort, 'the pub/sub connection moved');
    } finally {
      await elsewhere.close();
      await here.close();
      await cluster.stop();
    }
  });

  it('the single-slot layout still works on a Cluster, and a sharded backend of the same prefix warns that it does not see its tasks', { timeout: 60_000 }, async () => {
    const { client } = await shared();
    const { keyPrefix } = fresh('c-legacy');
    const old = createRedisBackend(client, { keyPrefix, layout: 'single-slot', checkEvictionPolicy: false });
    const task = await old.store.createTask({}, 1, toolCall);
    assert.equal((await old.store.getTask(task.taskId))?.status, 'working');
    await old.close();
    const w = warnings();
    const sharded = createRedisBackend(client, { keyPrefix, onWarning: w.onWarning, checkEvictionPolicy: false });
    try {
      await sharded.connection.checkLayout();
      assert.match(w.messages.join('\n'), new RegExp(`tasks of key prefix '${keyPrefix}' in the single-slot layout`));
      assert.equal(await sharded.store.getTask(task.taskId), null, 'the layouts do not see each other');
    } finally {
      await sharded.close();
    }
  });

  it('mcp-tasks serve --redis-cluster: tasks live in the Cluster; two processes share them', { timeout: 60_000 }, async () => {
    const { cluster } = await shared();
    const seeds = cluster.startupNodes.map(({ host, port }) => `${host}:${port}`).join(',');
    const args = ['--port', '0', '--stateless', '--demo-auth', '--redis-cluster', seeds, '--key-prefix', fresh('c-serve').keyPrefix];
    const [first, second] = await Promise.all([startServe(args), startServe(args)]);
    try {
      assert.match(first.stdoutLines[0]!, /redis cluster 127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+)* store/);
      const one = await httpClient(first.url, { token: 'alice' });
      const other = await httpClient(second.url, { token: 'alice' });
      const task = await serveTask(one, 'tasks_conformance_required', { text: 'in the cluster' });
      assert.equal(serveText(await serveResult(other, task.taskId)), 'in the cluster');
      await Promise.all([one.close(), other.close()]);
    } finally {
      assert.deepEqual(await Promise.all([stopServe(first), stopServe(second)]), [0, 0]);
    }
  });

  it('the master holding the deployment is killed mid-run: the running task ends or fails clearly, nothing hangs, and new tasks run on the promoted replica', { timeout: 120_000 }, async () => {
    const cluster = await RedisCluster.start();
    const client = await cluster.client(CLIENT_OPTIONS);
    const options = fresh('c-failover');
    const backend = createRedisBackend(client, { ...options, checkEvictionPolicy: false, leases: { leaseMs: 2_000, checkIntervalMs: 500 } });
    const support = new TaskSupport(backend);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const h = await inMemory({
      enable: { taskSupport: support },
      fixtures: false,
      setup: (tasks) => {
        tasks.registerTool({ name: 'gated', inputSchema: { type: 'object', properties: {} }, execution: { taskSupport: 'required' } }, async () => {
          await gate;
          return { content: [{ type: 'text', text: 'finished' }] };
        });
      },
    });
    try {
      const running = await callAsTask(h.client, 'gated', {});
      const owner = await cluster.masterForKey(`{${options.keyPrefix}}:task:${running.taskId}`);
      await cluster.killMaster(owner.port);
      const outcome = toolTaskResult(h.client, running.taskId).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      await cluster.waitForFailover(owner.port);
      release();
      const settled = await within(outcome, 60_000, 'tasks/result across the failover: not settled within 60 s');
      // Replication is asynchronous: the task survives on the replica, or its loss is an error the client sees.
      if ('result' in settled) assert.equal(textOf(settled.result), 'finished');
      else assert.ok(settled.error instanceof Error && settled.error.message.length > 0, 'a clear error');
      const after = await within(callAsTask(h.client, 'gated', {}), 30_000, 'a new task after the failover: not settled within 30 s');
      assert.equal(textOf(await within(toolTaskResult(h.client, after.taskId), 30_000, 'its result: not settled within 30 s')), 'finished');
    } finally {
      release();
      await h.close();
      await support.close();
      await backend.close();
      client.disconnect();
      await cluster.stop();
    }
  });
});
