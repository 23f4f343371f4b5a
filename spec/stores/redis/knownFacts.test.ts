/**
 * `KnownFacts` (what the Redis backend keeps instead of reading again) and the continuity it rests
 * on, first alone, then on a real redis-server: a fact is used only while no message can have been
 * missed, so a change made while this process's pub/sub connection was down is never hidden.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { TaskQueuedMessage } from '../../../src/core/messageQueue.js';
import { KnownFacts, type Continuity } from '../../../src/stores/redis/knownFacts.js';
import { KnownOutcomes } from '../../../src/stores/redis/knownOutcomes.js';
import { createRedisBackend, RedisTaskMessageQueue, RedisTaskStore, type RedisBackend } from '../../../src/stores/redis/index.js';
import { describeWithRedis, suiteRedis } from '../../support/redisServer.js';
import { commandsProcessed, freshPrefix, inspector, toolCall, warnings } from './helpers.js';

/** A continuity whose span the test ends by hand. */
function span(): Continuity & { subscribed: boolean; breakIt(): void } {
  let current = 0;
  return {
    subscribed: true,
    continuity() {
      return this.subscribed ? current : undefined;
    },
    isContinuous: (token) => token === current,
    breakIt() {
      current += 1;
    },
  };
}

describe('KnownOutcomes', () => {
  it('keeps outcomes within its byte budget, oldest out first; one too large for it is not kept; keeping again replaces', () => {
    const outcomes = new KnownOutcomes(40);
    outcomes.keep('a', 'x'.repeat(10));
    outcomes.keep('b', 'y'.repeat(10));
    outcomes.keep('big', 'z'.repeat(11));
    assert.equal(outcomes.get('big'), undefined, 'over a quarter of the budget');
    outcomes.keep('c', 'w'.repeat(10));
    outcomes.keep('a', 'v'.repeat(10));
    assert.equal(outcomes.get('a'), 'v'.repeat(10));
    outcomes.keep('d', 'u'.repeat(10));
    outcomes.keep('e', 't'.repeat(10));
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((id) => outcomes.get(id) !== undefined), [true, false, true, true, true], 'b was the oldest');
    outcomes.forget('c');
    outcomes.forget('never kept');
    assert.equal(outcomes.get('c'), undefined);
  });
});

describe('KnownFacts', () => {
  it('keeps what a command learned while subscribed, until the span breaks', () => {
    const c = span();
    const facts = new KnownFacts<string>(c);
    const learning = facts.begin('a');
    facts.learn(learning, 'x');
    assert.equal(facts.get('a'), 'x');
    c.breakIt();
    assert.equal(facts.get('a'), undefined, 'a break may have lost a message: the fact is gone');
    assert.equal(facts.follows('a'), false);
  });

  it('learns nothing from a command sent before the pattern was subscribed', () => {
    const c = span();
    c.subscribed = false;
    const facts = new KnownFacts<string>(c);
    facts.learn(facts.begin('a'), 'x');
    assert.equal(facts.get('a'), undefined);
  });

  it('a message that arrives while the command is on its way spoils what it learns (its reply may be older)', () => {
    const facts = new KnownFacts<string>(span());
    const learning = facts.begin('a');
    assert.equal(facts.follows('a'), true, 'messages of a key being learnt are wanted');
    facts.touch('a', 'from the message');
    facts.learn(learning, 'from the reply');
    assert.equal(facts.get('a'), undefined);
    const again = facts.begin('a');
    facts.learn(again, 'later reply');
    assert.equal(facts.get('a'), 'later reply', 'a later command learns again');
  });

  it('a message updates a kept fact when newer, forgets it without a value; abandon ends a learning', () => {
    const facts = new KnownFacts<number>(span(), { newer: (value, current) => value > current });
    facts.learn(facts.begin('a'), 2);
    facts.touch('a', 1);
    assert.equal(facts.get('a'), 2, 'an older value is ignored');
    facts.touch('a', 3);
    assert.equal(facts.get('a'), 3);
    facts.learn(facts.begin('a'), 1);
    assert.equal(facts.get('a'), 3, 'an older reply is ignored');
    facts.touch('a');
    assert.equal(facts.get('a'), undefined);
    facts.abandon(facts.begin('b'));
    assert.equal(facts.follows('b'), false);
  });

  it('a fact is sure only until its deadline, and the oldest goes past the capacity', () => {
    const facts = new KnownFacts<string>(span(), { capacity: 2 });
    facts.learn(facts.begin('past'), 'x', performance.now() - 1);
    assert.equal(facts.get('past'), undefined);
    facts.learn(facts.begin('a'), 'a');
    facts.learn(facts.begin('b'), 'b');
    facts.learn(facts.begin('c'), 'c');
    assert.deepEqual([facts.get('a'), facts.get('b'), facts.get('c')], [undefined, 'b', 'c']);
    assert.equal(facts.fact('c')?.until, Number.POSITIVE_INFINITY);
  });
});

/** Kills every pub/sub connection on the Redis side (Redis has closed them when this resolves). */
async function killPubSub(admin: Redis): Promise<void> {
  const killed = await admin.client('KILL', 'TYPE', 'pubsub');
  assert.ok(Number(killed) >= 1, 'a pub/sub connection was killed');
}

const note = (data: string): TaskQueuedMessage => ({ type: 'notification', message: { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data } }, timestamp: 1 });

/** Resolves once the backend's task and queue patterns are confirmed (each by a wait that needs it). */
async function subscribed(backend: RedisBackend): Promise<void> {
  await backend.store.waitForUpdate('0'.repeat(32), 0);
  const dummy = '9'.repeat(32);
  await backend.queue.enqueue(dummy, note('warm'));
  await backend.queue.waitForMessage(dummy);
}

const LIMIT = { timeout: 20_000 };

describeWithRedis('known facts on Redis', () => {
  const redis = suiteRedis();

  async function setup(label: string) {
    const { url } = await redis();
    const prefix = freshPrefix(label);
    // The killed pub/sub connection is reported as a warning: expected here.
    const here = createRedisBackend(url, { keyPrefix: prefix, checkEvictionPolicy: false, leases: { checkIntervalMs: 0 }, onWarning: warnings().onWarning });
    const store = new RedisTaskStore(url, { keyPrefix: prefix });
    const queue = new RedisTaskMessageQueue(url, { keyPrefix: prefix });
    const admin = await inspector(url);
    await subscribed(here);
    return {
      here,
      elsewhere: { store, queue },
      admin,
      async close() {
        await Promise.all([store.close(), queue.close(), here.close()]);
        admin.disconnect();
      },
    };
  }

  it('a task state known before the pub/sub connection broke is read again: a change made meanwhile wakes the waiter', LIMIT, async () => {
    const t = await setup('facts-break');
    try {
      const task = await t.here.store.createTask({}, 1, toolCall);
      const { version } = (await t.here.store.getTaskState(task.taskId))!;
      await killPubSub(t.admin);
      // Made while this process hears nothing: its message is lost.
      await t.elsewhere.store.updateTask(task.taskId, { statusMessage: 'changed while the connection was down' });
      const state = await t.here.store.waitForUpdate(task.taskId, version);
      assert.equal(state?.task.statusMessage, 'changed while the connection was down');
    } finally {
      await t.close();
    }
  });

  it('a queue known empty before the pub/sub connection broke is read again: a message queued meanwhile is found', LIMIT, async () => {
    const t = await setup('facts-queue-break');
    try {
      const task = await t.here.store.createTask({}, 1, toolCall);
      assert.equal(await t.here.queue.dequeue(task.taskId), undefined);
      await killPubSub(t.admin);
      await t.elsewhere.queue.enqueue(task.taskId, note('queued while the connection was down'));
      await t.here.queue.waitForMessage(task.taskId);
      assert.deepEqual(await t.here.queue.dequeue(task.taskId), note('queued while the connection was down'));
    } finally {
      await t.close();
    }
  });

  it('a queue known empty learns of a message queued by another process from its message', LIMIT, async () => {
    const t = await setup('facts-queue-message');
    try {
      const task = await t.here.store.createTask({}, 1, toolCall);
      assert.deepEqual(await t.here.queue.dequeueAll(task.taskId), []);
      const waiting = t.here.queue.waitForMessage(task.taskId);
      await t.elsewhere.queue.enqueue(task.taskId, note('from elsewhere'));
      await waiting;
      assert.deepEqual(await t.here.queue.dequeueAll(task.taskId), [note('from elsewhere')]);
      await t.elsewhere.queue.enqueue(task.taskId, note('no waiter'));
      // No waiter: the message still ends the queue's known emptiness.
      await t.here.queue.waitForMessage(task.taskId);
      assert.deepEqual(await t.here.queue.dequeue(task.taskId), note('no waiter'));
    } finally {
      await t.close();
    }
  });

  it('a task known to this process, changed by another, wakes a later wait with the change', LIMIT, async () => {
    const t = await setup('facts-change');
    try {
      const task = await t.here.store.createTask({}, 1, toolCall);
      const changed = await t.elsewhere.store.updateTask(task.taskId, { statusMessage: 'elsewhere' });
      const state = await t.here.store.waitForUpdate(task.taskId, 1);
      assert.equal(state?.task.statusMessage, changed.statusMessage);
      assert.equal((await t.here.store.waitForUpdate(task.taskId, 0))?.version, state?.version);
    } finally {
      await t.close();
    }
  });
});

describeWithRedis('outcomes known to this process', () => {
  const redis = suiteRedis();
  const done = { kind: 'result' as const, result: { content: [{ type: 'text' as const, text: 'finished here' }] } };

  it('the outcome of a task finished here is answered without a read while its terminal state is known; a deletion elsewhere ends that', LIMIT, async () => {
    const { url } = await redis();
    const prefix = freshPrefix('facts-outcome');
    const here = createRedisBackend(url, { keyPrefix: prefix, checkEvictionPolicy: false, leases: { checkIntervalMs: 0 } });
    const elsewhere = new RedisTaskStore(url, { keyPrefix: prefix });
    const admin = await inspector(url);
    try {
      await subscribed(here);
      const task = await here.store.createTask({}, 1, toolCall, 'owner');
      await here.store.finishTask(task.taskId, { status: 'completed', outcome: done }, 'owner');
      const before = await commandsProcessed(admin);
      assert.deepEqual(await here.store.getTaskOutcome(task.taskId, 'owner'), done);
      assert.equal(await commandsProcessed(admin), before + 1, 'no command but the INFO of this test');
      await assert.rejects(here.store.getTaskOutcome(task.taskId, 'someone else'), /not found/i, 'the owner check still applies');
      const cancelled = await here.store.createTask({}, 2, toolCall, 'owner');
      await here.store.updateTask(cancelled.taskId, { status: 'cancelled' }, 'owner');
      assert.equal(await here.store.getTaskOutcome(cancelled.taskId, 'owner'), null, 'a cancelled task has no outcome');
      // Deleted by another process: once its message arrived, the task is unknown here too.
      const { version } = (await here.store.getTaskState(task.taskId, 'owner'))!;
      const gone = here.store.waitForUpdate(task.taskId, version);
      assert.equal(await elsewhere.deleteTask(task.taskId, 'owner'), true);
      assert.equal(await gone, null);
      await assert.rejects(here.store.getTaskOutcome(task.taskId, 'owner'), /not found/i);
    } finally {
      await elsewhere.close();
      await here.close();
      admin.disconnect();
    }
  });
});
