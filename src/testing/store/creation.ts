/** Checks on task creation: status, timestamps, TTL resolution, pollInterval and ids (R22–R26, R38–R41, R84). */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DEFAULT_PAGE_SIZE, DEFAULT_POLL_INTERVAL } from '../../core/taskStore.js';
import { DEFAULT_TTL_POLICY, resolveTtl, type TtlPolicy } from '../../core/ttl.js';
import { assertIsoTimestamp, assertTaskShape, estimateIdEntropyBits } from '../assertions.js';
import { storeCheck, toolCallRequest, type StoreSuite } from './harness.js';

/** Registers the creation checks. */
export function creationChecks(suite: StoreSuite): void {
  const tolerance = suite.options.clockToleranceMs;

  storeCheck(suite, 'R26, R38, R39, R41: a new task is working, with ISO timestamps, the default ttl and pollInterval, version 1', async ({ store, create }) => {
    const before = Date.now();
    const task = await create();
    const after = Date.now();
    assertTaskShape(task, 'createTask result');
    assert.equal(task.status, 'working', 'a task begins in working (R26)');
    const created = assertIsoTimestamp(task.createdAt, 'createdAt');
    assert.ok(created >= before - tolerance && created <= after + tolerance, `createdAt ${task.createdAt} is not the time of creation (R38)`);
    assert.equal(task.ttl, 600_000, 'a task created without ttl gets the policy defaultTtl');
    assert.equal(task.pollInterval, 777, 'a task created without pollInterval gets the store defaultPollInterval');
    assert.deepEqual(await store.getTask(task.taskId), task, 'getTask returns what createTask returned');
    const state = await store.getTaskState(task.taskId);
    assert.ok(state, 'getTaskState finds the new task');
    assert.deepEqual(state.task, task);
    assert.equal(state.version, 1, 'version starts at 1 on creation');
  });

  storeCheck(suite, 'R43: a pollInterval given at creation is passed through', async ({ store, create }) => {
    for (const pollInterval of [250, 0, 60_000]) {
      const task = await create(undefined, { pollInterval });
      assert.equal(task.pollInterval, pollInterval);
      assert.equal((await store.getTask(task.taskId))?.pollInterval, pollInterval);
    }
  });

  storeCheck(
    suite,
    'defaults: a store given no options uses the default TTL policy, a pollInterval of 1,000 and pages of 50',
    async ({ store, create }) => {
      assert.deepEqual({ ...store.ttlPolicy }, { ...DEFAULT_TTL_POLICY }, 'ttlPolicy is the default policy');
      const task = await create();
      assert.equal(task.ttl, DEFAULT_TTL_POLICY.defaultTtl);
      assert.equal(task.pollInterval, DEFAULT_POLL_INTERVAL);
      for (let i = 0; i < DEFAULT_PAGE_SIZE; i++) await create();
      const page = await store.listTasks();
      assert.equal(page.tasks.length, DEFAULT_PAGE_SIZE, `the default page size is ${DEFAULT_PAGE_SIZE}`);
      assert.ok(page.nextCursor);
    },
    {},
    true,
  );

  const policy: TtlPolicy = { minTtl: 50, defaultTtl: 1_000, maxTtl: 5_000 };
  storeCheck(
    suite,
    'R40, R41, R89b: the reported ttl is the one the policy resolves (default, clamp to max, null, min, rounding)',
    async ({ store, create }) => {
      assert.deepEqual({ ...store.ttlPolicy }, policy, 'ttlPolicy reflects the options');
      const requests: Array<number | null | undefined> = [undefined, 2_000, 2_000.2, 5_000, 5_001, 999_999_999, null, 50, 10, 1, 0, -5, Number.NaN, Number.POSITIVE_INFINITY];
      for (const ttl of requests) {
        const params = ttl === undefined ? {} : { ttl };
        const task = await create(undefined, params);
        const expected = resolveTtl(ttl, policy);
        assert.equal(task.ttl, expected, `requested ttl ${String(ttl)} must become ${String(expected)}, got ${String(task.ttl)}`);
        assert.equal((await store.getTask(task.taskId))?.ttl, expected, `getTask reports the same real ttl for ${String(ttl)}`);
      }
    },
    { ttl: policy },
  );

  const unlimited: TtlPolicy = { minTtl: 1, defaultTtl: 1_000, maxTtl: null };
  storeCheck(
    suite,
    'R41: with maxTtl null, a request for ttl null gets an unlimited task (ttl null) and large ttls are kept',
    async ({ store, create }) => {
      assert.deepEqual({ ...store.ttlPolicy }, unlimited);
      const forever = await create(undefined, { ttl: null });
      assert.equal(forever.ttl, null);
      assert.ok(Object.prototype.hasOwnProperty.call(await store.getTask(forever.taskId), 'ttl'), 'ttl null is present, not omitted');
      assert.equal((await store.getTask(forever.taskId))?.ttl, null);
      assert.equal((await create(undefined, { ttl: 10 ** 12 })).ttl, 10 ** 12);
      assert.equal((await create()).ttl, 1_000);
    },
    { ttl: unlimited },
  );

  storeCheck(
    suite,
    `R22, R24, R84: task ids are unique strings carrying at least 128 bits (${suite.options.idSamples} samples)`,
    async ({ create, newScope }) => {
      const scopes = [undefined, newScope()];
      const ids: string[] = [];
      for (let i = 0; i < suite.options.idSamples; i++) ids.push((await create(scopes[i % 2])).taskId);
      assert.equal(new Set(ids).size, ids.length, 'task ids must be unique (R24)');
      for (const id of ids) assert.equal(typeof id, 'string');
      const bits = estimateIdEntropyBits(ids);
      assert.ok(bits >= 127.5, `task ids must carry at least 128 random bits (R84); the sample shows at most ${bits.toFixed(1)} (e.g. ${ids[0]})`);
    },
    { limits: { maxTasks: 100_000, maxActiveTasksPerScope: 100_000 } },
  );

  storeCheck(suite, 'R23: the store chooses the id, whatever the request carries', async ({ store }) => {
    const chosen = randomBytes(16).toString('hex');
    const request = { ...toolCallRequest(), params: { ...toolCallRequest().params, task: { taskId: chosen, ttl: 1_000 } } };
    const task = await store.createTask({ context: { taskId: chosen } }, chosen, request);
    assert.notEqual(task.taskId, chosen);
    assert.equal(await store.getTask(chosen), null);
  });

  storeCheck(suite, 'returned tasks are snapshots: mutating them changes nothing in the store', async ({ store, create }) => {
    const task = await create();
    const copy = structuredClone(task);
    const got = await store.getTask(task.taskId);
    const state = await store.getTaskState(task.taskId);
    for (const t of [task, got!, state!.task]) {
      (t as { status: string }).status = 'completed';
      (t as { ttl: number | null }).ttl = 1;
      t.statusMessage = 'mutated by the caller';
    }
    assert.deepEqual(await store.getTask(task.taskId), copy);
    const listed = (await store.listTasks()).tasks.find((t) => t.taskId === task.taskId);
    assert.deepEqual(listed, copy);
  });
}
