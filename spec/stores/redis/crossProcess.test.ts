/**
 * Several reference-server processes on one Redis, no sticky routing (issue 5, items 2–4):
 * cross-process `tasks/result` with an elicitation, cross-process cancel, a process SIGKILLed
 * mid-task (these four on a Redis Cluster too, issue 16), a Redis restart with AOF, and 1,000 concurrent tasks across 3 stateless processes
 * with every `tasks/*` call routed at random. Clients are identified by `--demo-auth` tokens.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { after, before, it } from 'node:test';
import { Redis } from 'ioredis';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, McpError, TaskStatusNotificationSchema, type Task } from '@modelcontextprotocol/sdk/types.js';
import { ORPHANED_TASK_MESSAGE, RedisKeys, RedisTaskStore } from '../../../src/stores/redis/index.js';
import { describeWithRedisCluster, RedisCluster } from '../../support/redisCluster.js';
import { describeWithRedis, RedisServer } from '../../support/redisServer.js';
import { callAsTask, cancelTask, clientOf, getTask, listAll, startRefServer, taskResult, textOf, type RefRedis, type RefServer } from './refServers.js';

/** Short leases (renewed every 500 ms), so a killed process's tasks fail within about two seconds. */
const LEASE_ENV = { MCP_TASKS_REDIS_LEASE_MS: '1500', MCP_TASKS_REDIS_LEASE_CHECK_INTERVAL_MS: '250' };
/** The reference server's key prefix (the default). */
const PREFIX = 'mcp-tasks';

function mcpCode(error: unknown): number | undefined {
  return error instanceof McpError ? error.code : undefined;
}

/** One Redis deployment the reference servers run on, and what the tests inspect it with. */
interface Deployment {
  /** What the servers are given (`--redis URL` or `--redis-cluster seeds`). */
  readonly redis: RefRedis;
  /** A store on the same Redis and layout, for waiting on tasks. */
  readonly store: RedisTaskStore;
  /** The key names the servers use. */
  readonly keys: RedisKeys;
  /** A connection to the node holding `key`, for its keyspace events. */
  nodeFor(key: string): Promise<Redis>;
  stop(): Promise<void>;
}

/** One standalone Redis with keyspace events on (generic and keyspace). */
async function standalone(): Promise<Deployment> {
  const redis = await RedisServer.start({ args: ['--notify-keyspace-events', 'Kg'] });
  const store = new RedisTaskStore(redis.url, { keyPrefix: PREFIX });
  return {
    redis: redis.url,
    store,
    keys: new RedisKeys(PREFIX),
    nodeFor: async () => new Redis(redis.url),
    async stop() {
      await store.close();
      await redis.stop();
    },
  };
}

/** A Redis Cluster (3 masters, 1 replica each; the servers use the sharded layout), keyspace events on. */
async function cluster(): Promise<Deployment> {
  const nodes = await RedisCluster.start({ args: ['--notify-keyspace-events', 'Kg'] });
  const store = new RedisTaskStore({ cluster: nodes.startupNodes }, { keyPrefix: PREFIX });
  return {
    redis: { cluster: nodes.startupNodes.map(({ host, port }) => `${host}:${port}`).join(',') },
    store,
    keys: new RedisKeys(PREFIX, 'sharded'),
    nodeFor: async (key) => new Redis((await nodes.masterForKey(key)).port, '127.0.0.1'),
    async stop() {
      await store.close();
      await nodes.stop();
    },
  };
}

for (const [name, deploy, describeOn] of [
  ['one Redis', standalone, describeWithRedis],
  ['a Redis Cluster', cluster, describeWithRedisCluster],
] as const) {
  describeOn(`several server processes on ${name} (sessions, --demo-auth)`, () => {
    let deployment: Deployment;
    const servers: RefServer[] = [];
    const clients: Client[] = [];
    let store: RedisTaskStore;

    before(async () => {
      deployment = await deploy();
      store = deployment.store;
      for (let i = 0; i < 3; i++) servers.push(await startRefServer(deployment.redis, ['--demo-auth'], LEASE_ENV));
    });
    after(async () => {
      await Promise.allSettled(clients.map((client) => client.close()));
      await Promise.allSettled(servers.map((server) => server.stop()));
      await deployment?.stop();
    });
    const connect = async (server: RefServer, token: string, capabilities = {}) => {
      const client = await clientOf(server.url, token, capabilities);
      clients.push(client);
      return client;
    };

    it('tasks/result on B delivers the elicitation queued by the task running on A, and routes the answer back to A', async () => {
      const token = `alice-${randomUUID()}`;
      const asked: string[] = [];
      const onA = await connect(servers[0]!, token, { elicitation: {} });
      onA.setRequestHandler(ElicitRequestSchema, async () => {
        asked.push('A');
        return { action: 'decline' };
      });
      const onB = await connect(servers[1]!, token, { elicitation: {} });
      onB.setRequestHandler(ElicitRequestSchema, async (request) => {
        asked.push(`B: ${request.params.message}`);
        return { action: 'accept', content: { confirm: true } };
      });
      const task = await callAsTask(onA, 'tasks_conformance_elicit', { message: 'Ship it?' });
      const result = await taskResult(onB, task.taskId);
      assert.equal(textOf(result), 'confirmed: true', 'the task on A got the answer given through B');
      assert.deepEqual(asked, ['B: Ship it?'], 'the request rode B\'s tasks/result stream only');
      const onC = await connect(servers[2]!, token);
      assert.equal((await getTask(onC, task.taskId)).status, 'completed', 'C sees the outcome');
      await assert.rejects(getTask(await connect(servers[2]!, `mallory-${randomUUID()}`), task.taskId), (e: unknown) => mcpCode(e) === -32602);
    });

    it('tasks/cancel on B aborts the work running on A (A drains the task\'s queue when its work ends)', async () => {
      const token = `bob-${randomUUID()}`;
      const onA = await connect(servers[0]!, token, { elicitation: {} });
      onA.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'cancel' }));
      const onB = await connect(servers[1]!, token);
      const task = await callAsTask(onA, 'tasks_conformance_elicit', { message: 'Wait for me' });
      // The work on A queues its elicitation and waits (nobody calls tasks/result): input_required.
      // (waitForUpdate does not check the scope, so the test needs no knowledge of the server's scope format)
      let state = await store.waitForUpdate(task.taskId, 0);
      while (state !== null && state.task.status !== 'input_required') state = await store.waitForUpdate(task.taskId, state.version);
      assert.equal(state?.task.status, 'input_required');
      const queueKey = deployment.keys.queue(task.taskId);
      const events = await deployment.nodeFor(queueKey);
      try {
        const channel = `__keyspace@0__:${queueKey}`;
        await events.subscribe(channel);
        const drained = once(events, 'message');
        const cancelled = await cancelTask(onB, task.taskId);
        assert.equal(cancelled.status, 'cancelled');
        const [, event] = (await drained) as [string, string];
        assert.equal(event, 'del', 'the work on A ended and dropped its pending side-channel request');
      } finally {
        events.disconnect();
      }
      for (const server of servers) {
        const seen = await getTask(await connect(server, token), task.taskId);
        assert.equal(seen.status, 'cancelled', `process ${servers.indexOf(server)} sees the cancel`);
      }
    });

    it('R57: a status change made on B reaches the client whose stream A holds', async () => {
      const token = `carol-${randomUUID()}`;
      const onA = await connect(servers[0]!, token);
      const statuses: Task[] = [];
      const cancelledSeen = new Promise<void>((resolve) =>
        onA.setNotificationHandler(TaskStatusNotificationSchema, (notification) => {
          statuses.push(notification.params as Task);
          if (notification.params.status === 'cancelled') resolve();
        }),
      );
      const task = await callAsTask(onA, 'tasks_conformance_hold', { holdMs: 60_000 });
      await cancelTask(await connect(servers[1]!, token), task.taskId);
      await Promise.race([cancelledSeen, new Promise((_, reject) => setTimeout(() => reject(new Error('no notification within 5 s')), 5_000).unref())]);
      assert.ok(statuses.some((s) => s.taskId === task.taskId && s.status === 'cancelled'));
    });

    it('SIGKILL of the process running a task: it becomes failed with a clear message, and a tasks/result blocked elsewhere returns', async () => {
      const token = `dave-${randomUUID()}`;
      const victim = await startRefServer(deployment.redis, ['--demo-auth'], LEASE_ENV);
      try {
        const onVictim = await clientOf(victim.url, token);
        const task = await callAsTask(onVictim, 'tasks_conformance_hold', { holdMs: 120_000 });
        const onB = await connect(servers[1]!, token);
        let state = await store.waitForUpdate(task.taskId, 0);
        assert.equal(state?.task.status, 'working');
        const blocked = taskResult(onB, task.taskId).then(
          () => assert.fail('tasks/result must end with the failure'),
          (error: unknown) => error,
        );
        await victim.stop('SIGKILL');
        void onVictim.close().catch(() => undefined);
        const error = await blocked;
        assert.equal(mcpCode(error), -32603, String(error));
        assert.match((error as Error).message, /lease expired/);
        const seen = await getTask(await connect(servers[2]!, token), task.taskId);
        assert.equal(seen.status, 'failed');
        assert.equal(seen.statusMessage, ORPHANED_TASK_MESSAGE);
        state = await store.waitForUpdate(task.taskId, 0);
        assert.equal(state?.task.status, 'failed');
      } finally {
        await victim.stop('SIGKILL');
      }
    });
  });
}

describeWithRedis('a Redis restart with AOF under two server processes', () => {
  it('tasks and results survive; calls during the outage fail clearly; a blocked tasks/result and the running task carry on', async () => {
    const redis = await RedisServer.start({ appendOnly: true });
    const token = `erin-${randomUUID()}`;
    const p = await startRefServer(redis.url, ['--demo-auth']);
    const q = await startRefServer(redis.url, ['--demo-auth']);
    const clients: Client[] = [];
    try {
      const onP = await clientOf(p.url, token);
      const onQ = await clientOf(q.url, token);
      clients.push(onP, onQ);
      const finished = await callAsTask(onP, 'tasks_conformance_optional', { text: 'before the restart' });
      assert.equal(textOf(await taskResult(onQ, finished.taskId)), 'before the restart');
      // Q's pub/sub patterns are subscribed once and kept: a first blocked tasks/result makes them
      const warm = await callAsTask(onP, 'tasks_conformance_hold', { holdMs: 100 });
      assert.equal(textOf(await taskResult(onQ, warm.taskId)), 'held');
      const running = await callAsTask(onP, 'tasks_conformance_hold', { holdMs: 4_000 });
      const queueRead = await watchCommandOn(redis.url, `{${PREFIX}}:queue:${running.taskId}`);
      const blocked = taskResult(onQ, running.taskId);
      // Kill Redis only once Q's tasks/result is really waiting (it reads the task's queue once it
      // is registered, its patterns subscribed already; and its reads answered: Q's Redis commands
      // run in order, so two later requests through Q come back after them). A call in flight at
      // the kill would fail, as it should.
      await queueRead.seen;
      await getTask(onQ, running.taskId);
      await getTask(onQ, running.taskId);
      await redis.kill();
      const outage = await getTask(onQ, finished.taskId).then(() => undefined, (error: unknown) => error);
      assert.equal(mcpCode(outage), -32603, `a call while Redis is down is a clear -32603 error, got ${String(outage)}`);
      assert.match((outage as Error).message, /Redis/);
      await redis.restart();
      const survived = await untilAnswered(() => getTask(onQ, finished.taskId));
      assert.equal(survived.status, 'completed');
      assert.equal(textOf(await untilAnswered(() => taskResult(onP, finished.taskId))), 'before the restart', 'the result survived the restart');
      assert.equal(textOf(await blocked), 'held', 'the task running across the restart completed, and the blocked tasks/result got it');
      assert.equal((await getTask(onP, running.taskId)).status, 'completed');
    } finally {
      await Promise.allSettled(clients.map((client) => client.close()));
      await Promise.allSettled([p.stop(), q.stop()]);
      await redis.stop();
    }
  });
});

describeWithRedis('1,000 concurrent tasks across 3 processes, every tasks/* call routed at random', () => {
  it('sessions: 1,000 tasks all alive at once (each waits for its elicitation), zero lost or duplicated results', async () => {
    const redis = await RedisServer.start();
    const servers: RefServer[] = [];
    const clients: Client[] = [];
    try {
      for (let i = 0; i < 3; i++) servers.push(await startRefServer(redis.url, ['--demo-auth']));
      const tokens = Array.from({ length: 4 }, (_, i) => `load-${i}-${randomUUID()}`);
      const asked = new Map<string, number>();
      const byToken = new Map<string, Client[]>();
      for (const token of tokens) {
        const list: Client[] = [];
        for (const server of servers) {
          const client = await clientOf(server.url, token, { elicitation: {} });
          // Answers "confirm" for questions ending in 0, so each task's result depends on its own answer.
          client.setRequestHandler(ElicitRequestSchema, async (request) => {
            asked.set(request.params.message, (asked.get(request.params.message) ?? 0) + 1);
            return { action: 'accept', content: { confirm: request.params.message.endsWith('0') } };
          });
          list.push(client);
        }
        byToken.set(token, list);
        clients.push(...list);
      }
      const any = (token: string) => pick(byToken.get(token)!);
      const total = 1_000;
      const created: { token: string; taskId: string; question: string }[] = [];
      // Every task's work blocks on its elicitation, which only a tasks/result delivers: all 1,000
      // are running (holding leases, watching Redis) at once.
      await pool(total, 50, async (i) => {
        const token = tokens[i % tokens.length]!;
        const question = `question ${i}`;
        const task = await callAsTask(any(token), 'tasks_conformance_elicit', { message: question });
        created.push({ token, taskId: task.taskId, question });
      });
      assert.equal(new Set(created.map((c) => c.taskId)).size, total, 'every task has its own id');
      await pool(total, 100, async (i) => {
        const { token, taskId, question } = created[i]!;
        if (i % 4 === 0) assert.equal((await getTask(any(token), taskId)).taskId, taskId);
        assert.equal(textOf(await taskResult(any(token), taskId)), `confirmed: ${question.endsWith('0')}`, `the result of ${question}`);
      });
      assert.equal(asked.size, total, 'every question was asked');
      assert.ok([...asked.values()].every((n) => n === 1), 'and asked once');
      for (const token of tokens) {
        const listed = await listAll(() => any(token));
        const mine = created.filter((c) => c.token === token).map((c) => c.taskId).sort();
        assert.deepEqual(listed.map((t) => t.taskId).sort(), mine, 'tasks/list shows each task of the identity exactly once');
        assert.ok(listed.every((t) => t.status === 'completed'));
      }
    } finally {
      await Promise.allSettled(clients.map((client) => client.close()));
      await Promise.allSettled(servers.map((server) => server.stop()));
      await redis.stop();
    }
  });

  it('stateless: every request to any process; zero lost or duplicated results', async () => {
    const redis = await RedisServer.start();
    const servers: RefServer[] = [];
    const clients: Client[] = [];
    try {
      for (let i = 0; i < 3; i++) servers.push(await startRefServer(redis.url, ['--stateless', '--demo-auth']));
      const token = `stateless-${randomUUID()}`;
      for (const server of servers) clients.push(await clientOf(server.url, token));
      const total = 300;
      const created: { taskId: string; text: string }[] = [];
      await pool(total, 50, async (i) => {
        const text = `result ${i}`;
        const task = await callAsTask(pick(clients), 'tasks_conformance_optional', { text, delayMs: Math.floor(Math.random() * 200) });
        created.push({ taskId: task.taskId, text });
      });
      await pool(total, 100, async (i) => {
        const { taskId, text } = created[i]!;
        assert.equal((await getTask(pick(clients), taskId)).taskId, taskId);
        assert.equal(textOf(await taskResult(pick(clients), taskId)), text);
      });
      const listed = await listAll(() => pick(clients));
      assert.deepEqual(listed.map((t) => t.taskId).sort(), created.map((c) => c.taskId).sort(), 'each task exactly once');
    } finally {
      await Promise.allSettled(clients.map((client) => client.close()));
      await Promise.allSettled(servers.map((server) => server.stop()));
      await redis.stop();
    }
  });
});

/** A random element. */
function pick<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)]!;
}

/** Runs `work(0..n-1)` with at most `width` in flight. */
async function pool(n: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

/**
 * Watches for Redis running a command that names `key` (through MONITOR, an event per command;
 * at most 10 s). Start it before the action that causes the command.
 */
async function watchCommandOn(url: string, key: string): Promise<{ seen: Promise<void>; stop(): void }> {
  const client = new Redis(url);
  const monitor = await client.monitor();
  let timer: NodeJS.Timeout | undefined;
  const seen = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no command on ${key} within 10 s`)), 10_000);
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.includes(key)) resolve();
    });
  });
  const stop = (): void => {
    clearTimeout(timer);
    monitor.disconnect();
    client.disconnect();
  };
  seen.then(stop, stop);
  return { seen, stop };
}


/** Retries `request` until it is answered (the servers reconnect to Redis by themselves), for at most 20 s. */
async function untilAnswered<T>(request: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await request();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
