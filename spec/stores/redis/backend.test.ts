/**
 * createRedisBackend and RedisConnection: shared connections, the maxmemory-policy warning,
 * scripts surviving a SCRIPT FLUSH (NOSCRIPT), and the test harness's missing-Redis policy.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { LuaScript } from '../../../src/stores/redis/luaScript.js';
import { createRedisBackend, leaseOptionsFromEnv, RedisConnection, RedisKeys, RedisTaskStore } from '../../../src/stores/redis/index.js';
import { ownerOf, scopeKey } from '../../../src/stores/redis/keys.js';
import { parseTask } from '../../../src/stores/redis/codec.js';
import { describeWithRedis, RedisServer, suiteRedis } from '../../support/redisServer.js';
import { freshPrefix, inspector, toolCall, warnings } from './helpers.js';

describeWithRedis('createRedisBackend', () => {
  const redis = suiteRedis();

  it('builds store, queue, response channel and leases on one shared connection; close is idempotent', async () => {
    const { url } = await redis();
    const w = warnings();
    const backend = createRedisBackend(url, { keyPrefix: freshPrefix('backend'), onWarning: w.onWarning, store: { pageSize: 7 }, leases: { checkIntervalMs: 0 } });
    assert.equal(await backend.evictionPolicy, 'noeviction');
    assert.deepEqual(w.messages, [], 'no warning with noeviction');
    for (const part of [backend.store, backend.queue, backend.responseChannel, backend.leases]) assert.equal(part.connection, backend.connection);
    assert.equal(backend.store.pageSize, 7);
    const task = await backend.store.createTask({}, 1, toolCall, 'x');
    await backend.leases.acquire(task.taskId);
    const waiting = assert.rejects(backend.store.waitForUpdate(task.taskId, 1), /closed/);
    await backend.close();
    await backend.close();
    await waiting;
    assert.equal(backend.connection.closed, true);
  });

  it('closing the four parts one by one (as TaskSupport.close() does) closes the backend\'s connections; a connection of your own stays open', async () => {
    const { url } = await redis();
    const backend = createRedisBackend(url, { keyPrefix: freshPrefix('parts'), checkEvictionPolicy: false, leases: { checkIntervalMs: 0 } });
    await backend.store.createTask({}, 1, toolCall);
    await backend.store.waitForUpdate('0'.repeat(32), 0); // opens the pub/sub connection
    await Promise.all([backend.store.close(), backend.queue.close(), backend.responseChannel.close()]);
    assert.equal(backend.connection.closed, false, 'the leases still use it');
    await backend.leases.close();
    assert.equal(backend.connection.closed, true, 'the last part closed it');
    await backend.close();

    const mine = new RedisConnection(url, { keyPrefix: freshPrefix('mine') });
    const store = new RedisTaskStore(mine);
    await store.createTask({}, 1, toolCall);
    await store.close();
    assert.equal(mine.closed, false, 'a connection you built is yours to close');
    await mine.close();
  });

  it('two stores on one connection share its pattern subscription: each gets its wake-ups, and one closing leaves the other its own', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('shared-pattern');
    const shared = new RedisConnection(url, { keyPrefix: prefix });
    const a = new RedisTaskStore(shared);
    const b = new RedisTaskStore(shared);
    const elsewhere = new RedisTaskStore(url, { keyPrefix: prefix }); // another process: its changes arrive by pub/sub
    try {
      const task = await elsewhere.createTask({}, 1, toolCall);
      const both = [a.waitForUpdate(task.taskId, 1), b.waitForUpdate(task.taskId, 1)];
      await elsewhere.updateTask(task.taskId, { statusMessage: 'one' });
      assert.deepEqual((await Promise.all(both)).map((state) => state?.task.statusMessage), ['one', 'one']);
      assert.equal(shared.subscriptions.patternCount, 1);
      await a.close();
      const onlyB = b.waitForUpdate(task.taskId, 2);
      await elsewhere.updateTask(task.taskId, { statusMessage: 'two' });
      assert.equal((await onlyB)?.task.statusMessage, 'two', 'b is still woken after a closed');
      assert.equal(shared.subscriptions.patternCount, 1);
      await b.close();
      assert.equal(shared.subscriptions.patternCount, 0, 'the last part leaving unsubscribes the pattern');
    } finally {
      await elsewhere.close();
      await shared.close();
    }
  });

  it('with an ioredis client: the client stays open; an ioredis keyPrefix is refused', async () => {
    const { url } = await redis();
    const client = await inspector(url);
    try {
      const backend = createRedisBackend(client, { keyPrefix: freshPrefix('client'), checkEvictionPolicy: false, leases: { checkIntervalMs: 0 } });
      assert.equal(await backend.evictionPolicy, undefined);
      const task = await backend.store.createTask({}, 1, toolCall);
      await backend.close();
      assert.equal(client.status, 'ready');
      assert.equal(await client.hget(`{${backend.connection.keys.prefix}}:task:${task.taskId}`, 'status'), 'working');
    } finally {
      client.disconnect();
    }
  });

  it('scripts are loaded again after SCRIPT FLUSH (NOSCRIPT) and after a Redis restart', async () => {
    const server = await RedisServer.start();
    const backend = createRedisBackend(server.url, { keyPrefix: freshPrefix('noscript'), onWarning: () => undefined, leases: { checkIntervalMs: 0 } });
    const client = await inspector(server.url);
    try {
      await backend.store.createTask({}, 1, toolCall);
      await client.script('FLUSH');
      const task = await backend.store.createTask({}, 2, toolCall);
      assert.equal(task.status, 'working');
      client.disconnect();
      await server.restart();
      const again = await retryOnce(() => backend.store.createTask({}, 3, toolCall));
      assert.equal(again.status, 'working', 'the restarted Redis has no scripts cached, and still runs ours');
    } finally {
      client.disconnect();
      await backend.close();
      await server.stop();
    }
  });
});

describeWithRedis('maxmemory-policy warning', () => {
  it('warns at start-up when Redis may evict task keys', async () => {
    const server = await RedisServer.start({ args: ['--maxmemory-policy', 'allkeys-lru'] });
    const w = warnings();
    const backend = createRedisBackend(server.url, { keyPrefix: freshPrefix('evict'), onWarning: w.onWarning, leases: { checkIntervalMs: 0 } });
    try {
      assert.equal(await backend.evictionPolicy, 'allkeys-lru');
      assert.equal(w.messages.length, 1);
      assert.match(w.messages[0]!, /maxmemory-policy is 'allkeys-lru'.*noeviction/);
    } finally {
      await backend.close();
      await server.stop();
    }
  });

  it('warns when the policy cannot be read (CONFIG disabled, as on many managed services)', async () => {
    const server = await RedisServer.start({ args: ['--rename-command', 'CONFIG', ''] });
    const w = warnings();
    const connection = new RedisConnection(server.url, { onWarning: w.onWarning });
    try {
      assert.equal(await connection.checkEvictionPolicy(), undefined);
      assert.match(w.messages.join('\n'), /could not read Redis maxmemory-policy.*noeviction/);
    } finally {
      await connection.close();
      await server.stop();
    }
  });

  it('the default warning sink is process.emitWarning', async () => {
    const server = await RedisServer.start({ args: ['--maxmemory-policy', 'volatile-lru'] });
    const connection = new RedisConnection(server.url);
    const emitted: string[] = [];
    const listener = (warning: Error) => emitted.push(warning.message);
    process.on('warning', listener);
    try {
      await connection.checkEvictionPolicy();
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(emitted.some((m) => /volatile-lru/.test(m)), emitted.join('\n'));
    } finally {
      process.off('warning', listener);
      await connection.close();
      await server.stop();
    }
  });
});

describe('Redis key layout and scripts (no server needed)', () => {
  it('lease timings come from MCP_TASKS_REDIS_LEASE_MS / _CHECK_INTERVAL_MS; bad values are ignored with a warning', () => {
    const w = warnings();
    assert.deepEqual(leaseOptionsFromEnv({ MCP_TASKS_REDIS_LEASE_MS: '600', MCP_TASKS_REDIS_LEASE_CHECK_INTERVAL_MS: '0' }, w.onWarning), { leaseMs: 600, checkIntervalMs: 0 });
    assert.deepEqual(leaseOptionsFromEnv({}, w.onWarning), {});
    assert.deepEqual(w.messages, []);
    assert.deepEqual(leaseOptionsFromEnv({ MCP_TASKS_REDIS_LEASE_MS: 'soon', MCP_TASKS_REDIS_LEASE_CHECK_INTERVAL_MS: ' ' }, w.onWarning), {});
    assert.equal(w.messages.length, 1);
    assert.match(w.messages[0]!, /ignoring MCP_TASKS_REDIS_LEASE_MS="soon"/);
  });

  it('every key and channel starts with the {prefix} hash tag; prefixes are checked', () => {
    const keys = new RedisKeys('app');
    const scope = keys.scope('client|sub');
    for (const key of [keys.task('t'), keys.queue('t'), keys.liveTasks(), scope.sequence, keys.leases(0), scope.list, scope.expiry, scope.active, keys.response('r'), keys.taskEvents('t'), keys.queueEvents('t'), keys.responseEvents('r')]) {
      assert.ok(key.startsWith('{app}:'), key);
    }
    assert.equal(keys.buckets, 1);
    assert.equal(scope.sequence, '{app}:seq', 'one sequence for the deployment');
    assert.equal(new RedisKeys().prefix, 'mcp-tasks');
    assert.notEqual(scopeKey('a'), scopeKey('b'));
    assert.equal(scopeKey(undefined), 'anon');
    assert.notEqual(ownerOf(undefined), ownerOf('a'));
    assert.notEqual(ownerOf(''), ownerOf(undefined), 'the empty scope is not the anonymous one');
    for (const bad of ['', 'a b', '{x}', 'x'.repeat(65), 7 as never]) assert.throws(() => new RedisKeys(bad), RangeError);
  });

  it('sharded layout: a task\'s keys share its bucket\'s tag, an owner\'s indexes share the owner\'s, channels keep {prefix}', () => {
    const keys = new RedisKeys('app', 'sharded');
    assert.equal(keys.buckets, 256);
    assert.equal(keys.indexesWithTasks, false);
    const id = 'f'.repeat(32);
    const tag = keys.bucketTag(keys.bucketOf(id));
    assert.match(tag, /^\{app:[0-9a-f]{2}\}$/);
    for (const key of [keys.task(id), keys.queue(id), keys.leases(keys.bucketOf(id))]) assert.ok(key.startsWith(`${tag}:`), key);
    const scope = keys.scope('client|sub');
    const ownerTag = /^(\{[^}]*\})/.exec(scope.list)![1]!;
    for (const key of [scope.list, scope.expiry, scope.active, scope.sequence]) assert.ok(key.startsWith(`${ownerTag}:`), key);
    assert.notEqual(ownerTag, keys.scope('other').list.slice(0, ownerTag.length), 'owners spread');
    for (const channel of [keys.taskEvents(id), keys.queueEvents(id), keys.responseEvents('r')]) assert.ok(channel.startsWith('{app}:'), channel);
    assert.equal(keys.liveTasks(), '{app}:tasks', 'the exact maxTasks count keeps the deployment tag');
    // Random ids spread evenly over the buckets.
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 25_600; i++) counts[keys.bucketOf(randomUUID().replace(/-/g, ''))]! += 1;
    assert.ok(Math.min(...counts) > 50 && Math.max(...counts) < 160, `bucket sizes ${Math.min(...counts)}..${Math.max(...counts)} (100 expected)`);
    assert.throws(() => new RedisKeys('app', 'spread' as never), RangeError);
  });

  it('a record without status is reported as corrupt', () => {
    assert.throws(() => parseTask('t', []), /Corrupt task record t in Redis: no status/);
  });

  it('on a Cluster client, NOSCRIPT loads the script on every master (one that cannot answer does not fail the call), then retries', async () => {
    const loaded: string[] = [];
    let calls = 0;
    const node = (name: string) => ({ script: async (_: string, source: string) => void loaded.push(`${name}:${source}`) });
    const down = { script: async () => Promise.reject(new Error('Connection is closed.')) };
    const cluster = {
      nodes: () => [node('m1'), down, node('m2')],
      evalsha: async () => {
        if (calls++ === 0) throw new Error('NOSCRIPT No matching script');
        return 'ran';
      },
    };
    const script = new LuaScript('x', 'return 1');
    assert.equal(await script.run(cluster as never, ['{p}:k'], []), 'ran');
    assert.deepEqual(loaded, ['m1:return 1', 'm2:return 1']);
    const failing = { evalsha: async () => { throw new Error('ERR other'); } };
    await assert.rejects(script.run(failing as never, [], []), /ERR other/);
  });
});

describeWithRedis('the redis-server test harness with Redis', () => {
  it('a test process that exits early takes its Redis down with it', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/exitEarly.js', import.meta.url));
    const port = await new Promise<number>((resolve, reject) => {
      execFile(process.execPath, [fixture], (error, stdout) => {
        if (error?.code !== 3) reject(error ?? new Error('the fixture should exit with code 3'));
        else resolve(Number(stdout.trim()));
      });
    });
    assert.ok(port > 0);
    const probe = () =>
      new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
    // The SIGKILL was sent as the fixture exited; the kernel frees the port a moment later
    // (not our child, so no exit event to wait on): probe for at most 5 s.
    let refused = await probe();
    for (const deadline = Date.now() + 5_000; refused === 'connected' && Date.now() < deadline; refused = await probe()) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(refused, 'ECONNREFUSED', 'nothing listens on the Redis port any more');
  });
});

describe('the redis-server test harness', () => {
  const fixture = fileURLToPath(new URL('./fixtures/missingRedis.js', import.meta.url));
  const run = (ci: string | undefined) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, REDIS_SERVER_BIN: '/nonexistent/redis-server' };
      delete env['NODE_TEST_CONTEXT'];
      if (ci === undefined) delete env['CI'];
      else env['CI'] = ci;
      execFile(process.execPath, ['--test', '--test-reporter=tap', fixture], { env }, (error, stdout, stderr) => {
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, output: `${stdout}\n${stderr}` });
      });
    });

  it('without redis-server: CI=true fails the run', async () => {
    const { code, output } = await run('true');
    assert.notEqual(code, 0, output);
    assert.match(output, /redis-server not found/);
  });

  it('without redis-server elsewhere: the suite is skipped with a loud message', async () => {
    const { code, output } = await run(undefined);
    assert.equal(code, 0, output);
    assert.match(output, /SKIPPING Redis tests "needs Redis": redis-server not found/);
    assert.match(output, /# SKIP/);
  });
});

/** Runs `op`; if it fails once (the client was still reconnecting), runs it again. */
async function retryOnce<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch {
    return op();
  }
}
