/**
 * The Redis Cluster test harness (spec/support/redisCluster.ts) against real `redis-server`
 * processes: it starts a settled 3 × (1 + 1) cluster, ioredis routes keys to the masters the
 * harness names, a killed master's replica takes over, and stop() leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, it, before, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Cluster } from 'ioredis';
import { describeWithRedisCluster, keySlot, RedisCluster, SLOT_COUNT, type RedisClusterNode } from '../../support/redisCluster.js';

describeWithRedisCluster('the Redis Cluster test harness', () => {
  let cluster: RedisCluster | undefined;
  let client: Cluster | undefined;
  let startMs = 0;
  /** Two keys per master, each with its own hash tag, by the port of the master serving it at the start. */
  const keysByMaster = new Map<number, string[]>();
  const value = (key: string): string => `value of ${key}`;
  const started = (): RedisCluster => {
    assert.ok(cluster !== undefined, 'the cluster started');
    return cluster;
  };

  before(async () => {
    const begin = performance.now();
    cluster = await RedisCluster.start();
    startMs = Math.round(performance.now() - begin);
    client = await cluster.client();
  });

  after(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('starts 3 masters with 1 replica each, which together serve all 16384 slots', async (t) => {
    t.diagnostic(`RedisCluster.start: ${startMs} ms`);
    const { nodes, startupNodes } = started();
    const masters = nodes.filter((node) => node.role === 'master');
    const replicas = nodes.filter((node) => node.role === 'replica');
    assert.equal(masters.length, 3);
    assert.equal(replicas.length, 3);
    assert.equal(new Set(nodes.map((node) => node.port)).size, 6);
    assert.equal(new Set(nodes.map((node) => node.id)).size, 6);
    assert.ok(nodes.every((node) => !node.failed));
    // the masters' ranges, in order, tile 0‥16383 without gap or overlap
    const ranges = masters.flatMap((master) => master.slots).sort((a, b) => a.first - b.first);
    let next = 0;
    for (const range of ranges) {
      assert.equal(range.first, next);
      next = range.last + 1;
    }
    assert.equal(next, SLOT_COUNT);
    // each master has exactly one replica, and replicas serve no slots
    for (const master of masters) {
      assert.deepEqual(replicas.filter((replica) => replica.masterId === master.id).map((replica) => replica.masterPort), [master.port]);
    }
    assert.ok(replicas.every((replica) => replica.slots.length === 0));
    assert.deepEqual(await started().masters(), masters);
    assert.deepEqual(
      startupNodes,
      started().servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
    );
  });

  it('ioredis SETs and GETs keys with different hash tags on different masters, as masterForKey says', async () => {
    const harness = started();
    const masters = harness.nodes.filter((node) => node.role === 'master');
    const ownerOf = (key: string): RedisClusterNode | undefined =>
      masters.find((master) => master.slots.some((range) => range.first <= keySlot(key) && keySlot(key) <= range.last));
    for (let tag = 0; [...keysByMaster.values()].flat().length < 2 * masters.length; tag++) {
      const key = `{tag${tag}}:item`;
      const owner = ownerOf(key);
      assert.ok(owner !== undefined);
      const keys = keysByMaster.get(owner.port) ?? [];
      if (keys.length < 2) keysByMaster.set(owner.port, [...keys, key]);
    }
    assert.equal(keysByMaster.size, 3, 'keys on every master');

    await harness.resetCommandStats();
    const keys = [...keysByMaster.values()].flat();
    assert.ok(client !== undefined);
    for (const key of keys) assert.equal(await client.set(key, value(key)), 'OK');
    for (const key of keys) assert.equal(await client.get(key), value(key));
    // one SET and one GET per key, each on the master serving it (the harness's own commands left out)
    assert.deepEqual(
      await harness.commandCallsPerMaster(),
      new Map(masters.map((master) => [master.port, 2 * (keysByMaster.get(master.port)?.length ?? 0)])),
    );
    assert.deepEqual(await harness.keyCountsPerMaster(), new Map(masters.map((master) => [master.port, 2])));

    for (const [port, ownKeys] of keysByMaster) {
      const direct = await harness.nodeClient(port);
      try {
        for (const key of ownKeys) {
          assert.equal((await harness.masterForKey(key)).port, port);
          assert.equal(await direct.get(key), value(key), 'the master the harness names holds the key');
        }
        for (const [otherPort, otherKeys] of keysByMaster) {
          if (otherPort === port) continue;
          for (const key of otherKeys) {
            await assert.rejects(direct.get(key), new RegExp(`^ReplyError: MOVED ${keySlot(key)} 127\\.0\\.0\\.1:${otherPort}$`));
          }
        }
      } finally {
        await direct.quit();
      }
    }
  });

  it('a SIGKILLed master is replaced by its replica and its slots are served again', async (t) => {
    const harness = started();
    assert.ok(client !== undefined);
    const [victimPort, victimKeys] = [...keysByMaster][0] ?? [];
    assert.ok(victimPort !== undefined && victimKeys !== undefined);
    const replica = harness.nodes.find((node) => node.masterPort === victimPort);
    assert.ok(replica !== undefined);

    // the replica has the writes before the master dies (WAIT: an event, not a sleep)
    const direct = await harness.nodeClient(victimPort);
    assert.equal(await direct.call('WAIT', '1', '5000'), 1);
    await direct.quit();

    const victimPid = harness.servers.find((server) => server.port === victimPort)?.pid;
    assert.ok(victimPid !== undefined);
    await harness.killMaster(victimPort);
    assert.equal(harness.running(victimPort), false);
    assert.throws(() => process.kill(victimPid, 0), { code: 'ESRCH' });

    const { promoted, elapsedMs } = await harness.waitForFailover(victimPort);
    t.diagnostic(`failover (SIGKILL → survivors settled): ${elapsedMs} ms`);
    assert.equal(promoted.id, replica.id);
    assert.equal(promoted.role, 'master');

    const masters = await harness.masters();
    assert.equal(masters.length, 3);
    assert.ok(!masters.some((master) => master.port === victimPort));
    assert.ok(harness.nodes.find((node) => node.port === victimPort)?.failed, 'the settled view flags the dead master');
    assert.equal((await harness.keyCountsPerMaster()).get(promoted.port), victimKeys.length, 'the replica had its keys');

    const onPromoted = await harness.nodeClient(promoted.port);
    try {
      for (const key of victimKeys) {
        assert.equal((await harness.masterForKey(key)).port, promoted.port);
        assert.equal(await onPromoted.get(key), value(key));
        // the client connected before the failover follows it, and writes land on the new master
        assert.equal(await client.get(key), value(key));
        assert.equal(await client.set(`${key}:after`, 'written after the failover'), 'OK');
        assert.equal(await onPromoted.get(`${key}:after`), 'written after the failover');
      }
    } finally {
      await onPromoted.quit();
    }
    const fresh = await harness.client();
    try {
      for (const key of [...keysByMaster.values()].flat()) assert.equal(await fresh.get(key), value(key));
    } finally {
      await fresh.quit();
    }
  });

  it('stop() kills every node process and removes every dir', async () => {
    const harness = started();
    const pids = harness.servers.flatMap((server) => (server.pid === undefined ? [] : [server.pid]));
    assert.equal(pids.length, 5, 'five nodes still run after the failover');
    const dirs = harness.servers.map((server) => server.dir);
    assert.ok(dirs.every((dir) => existsSync(dir)));
    await harness.stop();
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `process ${pid} is gone`);
    assert.ok(harness.servers.every((server) => !server.running));
    assert.deepEqual(dirs.filter((dir) => existsSync(dir)), []);
    // stop() disconnected the client still open; it has ended (ioredis 5 sets a Cluster's status
    // back to 'close' as the last node connections close after its 'end')
    assert.ok(['end', 'close'].includes(client?.status ?? ''), `the client still open was disconnected (status ${String(client?.status)})`);
    await harness.stop(); // idempotent
  });
});

describe('the Redis Cluster test harness without redis-cli', () => {
  const fixture = fileURLToPath(new URL('./fixtures/missingRedisCli.js', import.meta.url));
  const run = (ci: string | undefined) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, REDIS_CLI_BIN: '/nonexistent/redis-cli' };
      delete env['NODE_TEST_CONTEXT'];
      if (ci === undefined) delete env['CI'];
      else env['CI'] = ci;
      execFile(process.execPath, ['--test', '--test-reporter=tap', fixture], { env }, (error, stdout, stderr) => {
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, output: `${stdout}\n${stderr}` });
      });
    });

  it('CI=true fails the run', async () => {
    const { code, output } = await run('true');
    assert.notEqual(code, 0, output);
    assert.match(output, /redis-cli not found/);
  });

  it('elsewhere the suite is skipped with a loud message', async () => {
    const { code, output } = await run(undefined);
    assert.equal(code, 0, output);
    assert.match(output, /SKIPPING Redis tests "needs a Redis Cluster": redis-cli not found/);
    assert.match(output, /# SKIP/);
  });
});
