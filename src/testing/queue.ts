/** `describeTaskMessageQueueContract`: the TaskMessageQueue contract (core/messageQueue.ts) as a node:test suite. */
import assert from 'node:assert/strict';
import { getEventListeners, setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { QueueFullError, StoreClosedError } from '../core/errors.js';
import { DEFAULT_MAX_MESSAGES_PER_TASK, type TaskMessageQueue, type TaskMessageQueueOptions, type TaskQueuedMessage } from '../core/messageQueue.js';
import { describeError, macrotasks, rejection, rejectsWith, settle, track, withDeadline } from './guards.js';
import { resolveContractOptions, type ContractOptions, type ResolvedContractOptions } from './options.js';
import { deriveSeed, randomInt, randomYield, seededRandom } from './random.js';

/** Builds the queue under test from the options a check needs. */
export type TaskMessageQueueFactory = (options: TaskMessageQueueOptions) => TaskMessageQueue | Promise<TaskMessageQueue>;

/** A side-channel request as the runtime queues it (string id, related-task metadata). */
export function queuedRequest(taskId: string, n: number): TaskQueuedMessage {
  return {
    type: 'request',
    timestamp: 1_700_000_000_000 + n,
    message: {
      jsonrpc: '2.0',
      id: `side-${taskId}-${n}`,
      method: 'elicitation/create',
      params: {
        message: `question ${n}`,
        requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } } },
        _meta: { 'io.modelcontextprotocol/related-task': { taskId } },
      },
    },
  };
}

/** A notification as the runtime queues it. */
export function queuedNotification(taskId: string, n: number): TaskQueuedMessage {
  return {
    type: 'notification',
    timestamp: 1_700_000_000_000 + n,
    message: { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: { taskId, n } } },
  };
}

const message = (taskId: string, n: number) => (n % 3 === 2 ? queuedNotification(taskId, n) : queuedRequest(taskId, n));
const newTaskId = () => randomUUID().replaceAll('-', '');

function queueCheck(
  makeQueue: TaskMessageQueueFactory,
  options: ResolvedContractOptions,
  name: string,
  body: (queue: TaskMessageQueue, t: import('node:test').TestContext) => Promise<void>,
  queueOptions: TaskMessageQueueOptions = { maxMessagesPerTask: 1_000 },
): void {
  it(name, { timeout: options.timeoutMs }, async (t) => {
    const queue = await makeQueue(queueOptions);
    try {
      await body(queue, t);
    } finally {
      await queue.close();
    }
  });
}

/**
 * Registers a `describe` suite that checks a {@link TaskMessageQueue} implementation against its
 * contract. `makeQueue` is called once per test and must return an empty queue; the kit closes it.
 */
export function describeTaskMessageQueueContract(name: string, makeQueue: TaskMessageQueueFactory, contractOptions?: ContractOptions): void {
  const options = resolveContractOptions(contractOptions);
  const { hangTimeoutMs, concurrency, interleavings } = options;
  const check = (title: string, body: (queue: TaskMessageQueue, t: import('node:test').TestContext) => Promise<void>, queueOptions?: TaskMessageQueueOptions) =>
    queueCheck(makeQueue, options, title, body, queueOptions);
  const deadline = <T>(promise: Promise<T>, what: string) => withDeadline(promise, hangTimeoutMs, what);

  describe(`${name}: TaskMessageQueue contract (seed ${options.seed})`, () => {
    check('FIFO per task; tasks are independent; messages come back as queued', async (queue) => {
      const [a, b] = [newTaskId(), newTaskId()];
      for (let n = 0; n < 6; n++) {
        await queue.enqueue(a, message(a, n));
        if (n % 2 === 0) await queue.enqueue(b, message(b, n));
      }
      assert.equal(await queue.size(a), 6);
      assert.equal(await queue.size(b), 3);
      for (let n = 0; n < 6; n++) assert.deepEqual(await queue.dequeue(a), message(a, n), `message ${n} of a`);
      assert.equal(await queue.dequeue(a), undefined, 'an empty queue dequeues undefined');
      assert.equal(await queue.size(a), 0);
      assert.deepEqual(await queue.dequeue(b), message(b, 0));
      assert.equal(await queue.size(b), 2);
      assert.equal(await queue.size(newTaskId()), 0, 'an unknown task has an empty queue');
      assert.equal(await queue.dequeue(newTaskId()), undefined);
    });

    check('dequeueAll drains every message, oldest first', async (queue) => {
      const a = newTaskId();
      assert.deepEqual(await queue.dequeueAll(a), []);
      for (let n = 0; n < 5; n++) await queue.enqueue(a, message(a, n));
      assert.deepEqual(await queue.dequeueAll(a), [0, 1, 2, 3, 4].map((n) => message(a, n)));
      assert.equal(await queue.size(a), 0);
      assert.deepEqual(await queue.dequeueAll(a), []);
      await queue.enqueue(a, message(a, 9));
      assert.deepEqual(await queue.dequeue(a), message(a, 9), 'a drained queue takes new messages');
    });

    check('queued messages are snapshots: mutating them after enqueue or dequeue changes nothing', async (queue) => {
      const a = newTaskId();
      const original = message(a, 0);
      const sent = structuredClone(original);
      await queue.enqueue(a, sent);
      (sent.message as { method: string }).method = 'mutated';
      await queue.enqueue(a, message(a, 1));
      const first = (await queue.dequeue(a))!;
      assert.deepEqual(first, original);
      assert.deepEqual(await queue.dequeueAll(a), [message(a, 1)]);
    });

    check(
      'bound: a full queue throws QueueFullError and stores nothing; other tasks are unaffected',
      async (queue) => {
        assert.equal(queue.maxMessagesPerTask, 3);
        const [a, b] = [newTaskId(), newTaskId()];
        for (let n = 0; n < 3; n++) await queue.enqueue(a, message(a, n));
        const error = await rejectsWith(queue.enqueue(a, message(a, 3)), QueueFullError, 'enqueue on a full queue');
        assert.equal(error.taskId, a);
        assert.equal(error.maxSize, 3);
        assert.equal(error.code, -32603);
        assert.equal(await queue.size(a), 3, 'nothing stored');
        await queue.enqueue(b, message(b, 0));
        assert.equal(await queue.size(b), 1);
        assert.deepEqual(await queue.dequeue(a), message(a, 0));
        await queue.enqueue(a, message(a, 4));
        assert.deepEqual(await queue.dequeueAll(a), [1, 2, 4].map((n) => message(a, n)), 'the refused message was never stored');
      },
      { maxMessagesPerTask: 3 },
    );

    check(
      `bound under ${concurrency} concurrent enqueues: exactly the bound is stored`,
      async (queue) => {
        const a = newTaskId();
        const settled = await Promise.allSettled(Array.from({ length: concurrency }, (_, n) => queue.enqueue(a, message(a, n))));
        const stored = settled.filter((s) => s.status === 'fulfilled').length;
        assert.equal(stored, Math.min(concurrency, 4));
        for (const s of settled) if (s.status === 'rejected') assert.ok(s.reason instanceof QueueFullError, describeError(s.reason));
        assert.equal(await queue.size(a), stored);
        assert.equal((await queue.dequeueAll(a)).length, stored);
      },
      { maxMessagesPerTask: 4 },
    );

    check(
      `the default bound is ${DEFAULT_MAX_MESSAGES_PER_TASK}`,
      async (queue) => {
        assert.equal(queue.maxMessagesPerTask, DEFAULT_MAX_MESSAGES_PER_TASK);
        const a = newTaskId();
        for (let n = 0; n < DEFAULT_MAX_MESSAGES_PER_TASK; n++) await queue.enqueue(a, message(a, n));
        await rejectsWith(queue.enqueue(a, message(a, -1)), QueueFullError, 'enqueue beyond the default bound');
      },
      {},
    );

    check(`FIFO per producer under ${concurrency} concurrent producers`, async (queue, t) => {
      const seed = deriveSeed(options.seed, 'queue producers');
      t.diagnostic(`seed ${seed}`);
      const random = seededRandom(seed);
      const a = newTaskId();
      const perProducer = 8;
      await Promise.all(
        Array.from({ length: concurrency }, async (_, producer) => {
          for (let k = 0; k < perProducer; k++) {
            await randomYield(random);
            await queue.enqueue(a, queuedNotification(a, producer * 1_000 + k));
          }
        }),
      );
      const all = await queue.dequeueAll(a);
      assert.equal(all.length, concurrency * perProducer, 'every message is there');
      const next = new Array<number>(concurrency).fill(0);
      for (const m of all) {
        const n = (m.message.params as { data: { n: number } }).data.n;
        const producer = Math.floor(n / 1_000);
        assert.equal(n % 1_000, next[producer], `producer ${producer}'s messages must come out in the order it queued them (seed ${seed})`);
        next[producer]!++;
      }
    }, { maxMessagesPerTask: concurrency * 8 });

    check('waitForMessage resolves at once when a message is queued, and does not consume it', async (queue) => {
      const a = newTaskId();
      await queue.enqueue(a, message(a, 0));
      await deadline(queue.waitForMessage(a), 'waitForMessage on a non-empty queue');
      assert.equal(await queue.size(a), 1);
    });

    check('waitForMessage is woken by an enqueue on its task only', async (queue) => {
      const [a, b] = [newTaskId(), newTaskId()];
      const waiter = track(queue.waitForMessage(a));
      await macrotasks(2);
      await queue.enqueue(b, message(b, 0));
      await macrotasks(20);
      assert.equal(waiter.settled, false, 'an enqueue on another task must not wake it');
      await queue.enqueue(a, message(a, 0));
      await deadline(waiter.promise, 'waitForMessage after enqueue');
      assert.deepEqual(await queue.dequeue(a), message(a, 0));
    });

    check(`${concurrency} waiters on one task all wake on one enqueue`, async (queue) => {
      const a = newTaskId();
      const shared = new AbortController();
      setMaxListeners(concurrency + 10, shared.signal); // many waiters share this signal on purpose
      const waiters = Array.from({ length: concurrency }, () => queue.waitForMessage(a, shared.signal));
      await macrotasks(2);
      await queue.enqueue(a, message(a, 0));
      await deadline(Promise.all(waiters), 'waiters after enqueue');
      assert.equal(getEventListeners(shared.signal, 'abort').length, 0, 'woken waiters leave no abort listener');
    });

    check('abort rejects waitForMessage with the signal’s reason; a reused signal accumulates no listeners', async (queue) => {
      const a = newTaskId();
      const reason = new Error('contract: stop waiting');
      const pre = new AbortController();
      pre.abort(reason);
      assert.equal(await rejection(queue.waitForMessage(a, pre.signal), 'wait with an aborted signal'), reason);
      const controller = new AbortController();
      const pending = queue.waitForMessage(a, controller.signal);
      await macrotasks(2);
      controller.abort(reason);
      assert.equal(await deadline(rejection(pending, 'aborted wait'), 'aborted wait'), reason);
      const reused = new AbortController();
      for (let i = 0; i < 3 * concurrency; i++) {
        const waiting = queue.waitForMessage(a, reused.signal);
        await queue.enqueue(a, message(a, i));
        await deadline(waiting, 'wait with a reused signal');
        await deadline(queue.waitForMessage(a, reused.signal), 'immediate wait with a reused signal');
        await queue.dequeue(a);
      }
      assert.equal(getEventListeners(reused.signal, 'abort').length, 0, 'every finished wait removed its abort listener');
      assert.equal(await queue.size(a), 0, 'an aborted wait consumed nothing');
    });

    check(`no lost wake-up: ${interleavings} randomized interleavings of wait / enqueue / dequeue`, async (queue, t) => {
      const seed = deriveSeed(options.seed, 'queue wake-up races');
      t.diagnostic(`seed ${seed} (set ContractOptions.seed or MCP_TASKS_CONTRACT_SEED=${options.seed} to replay)`);
      const random = seededRandom(seed);
      const a = newTaskId();
      for (let round = 0; round < interleavings; round++) {
        const waiters = 1 + randomInt(random, 3);
        const run = Promise.all([
          ...Array.from({ length: waiters }, async () => {
            await randomYield(random);
            await queue.waitForMessage(a);
          }),
          (async () => {
            await randomYield(random);
            await queue.enqueue(a, message(a, round));
          })(),
        ]);
        try {
          await withDeadline(run, hangTimeoutMs, `interleaving ${round}`);
        } catch (error) {
          assert.fail(`interleaving ${round} (${waiters} waiter(s)) failed (seed ${seed}, run seed ${options.seed}): ${describeError(error)}`);
        }
        assert.deepEqual(await queue.dequeueAll(a), [message(a, round)], `round ${round} (seed ${seed})`);
      }
    });

    check('close rejects pending waiters with StoreClosedError, later calls fail the same way, and close is idempotent', async (queue) => {
      const a = newTaskId();
      const waiter = queue.waitForMessage(a);
      await macrotasks(2);
      await queue.close();
      await deadline(rejectsWith(waiter, StoreClosedError, 'a waiter when the queue closes'), 'waiter at close');
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['enqueue', () => queue.enqueue(a, message(a, 0))],
        ['dequeue', () => queue.dequeue(a)],
        ['waitForMessage', () => queue.waitForMessage(a)],
      ];
      for (const [name, call] of calls) await deadline(rejectsWith(settle(call), StoreClosedError, `${name} after close`), `${name} after close`);
      await queue.close();
    });
  });
}
