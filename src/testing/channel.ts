/** `describeTaskResponseChannelContract`: the TaskResponseChannel contract (core/messageQueue.ts) as a node:test suite. */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { StoreClosedError } from '../core/errors.js';
import type { SettledResponse, TaskResponseChannel } from '../core/messageQueue.js';
import { describeError, macrotasks, rejection, rejectsWith, settle, track, withDeadline } from './guards.js';
import { resolveContractOptions, type ContractOptions } from './options.js';
import { deriveSeed, randomYield, seededRandom, shuffled } from './random.js';

/** Builds the channel under test. */
export type TaskResponseChannelFactory = () => TaskResponseChannel | Promise<TaskResponseChannel>;

const answer = (n: number): SettledResponse => ({ result: { action: 'accept', content: { confirm: n % 2 === 0, n } } });
const failure: SettledResponse = { error: { code: -32600, message: 'User rejected the request', data: { reason: 'contract' } } };
const newRequestId = () => `side-${randomUUID()}`;

/**
 * Registers a `describe` suite that checks a {@link TaskResponseChannel} implementation against its
 * contract. `makeChannel` is called once per test; the kit closes the channel after it.
 */
export function describeTaskResponseChannelContract(name: string, makeChannel: TaskResponseChannelFactory, contractOptions?: ContractOptions): void {
  const options = resolveContractOptions(contractOptions);
  const { hangTimeoutMs, concurrency, interleavings } = options;
  const deadline = <T>(promise: Promise<T>, what: string) => withDeadline(promise, hangTimeoutMs, what);
  const check = (title: string, body: (channel: TaskResponseChannel, t: TestContext) => Promise<void>) =>
    it(title, { timeout: options.timeoutMs }, async (t) => {
      const channel = await makeChannel();
      try {
        await body(channel, t);
      } finally {
        await channel.close();
      }
    });

  describe(`${name}: TaskResponseChannel contract (seed ${options.seed})`, () => {
    check('wait, then publish: the waiter gets the answer (result or error) verbatim', async (channel) => {
      for (const response of [answer(1), failure]) {
        const id = newRequestId();
        const waiting = channel.waitForResponse(id);
        await macrotasks(2);
        await channel.publishResponse(id, structuredClone(response));
        assert.deepEqual(await deadline(waiting, 'waitForResponse then publish'), response);
      }
    });

    check('publish, then wait: an answer published before the wait is still delivered', async (channel) => {
      for (const response of [answer(2), failure]) {
        const id = newRequestId();
        await channel.publishResponse(id, structuredClone(response));
        assert.deepEqual(await deadline(channel.waitForResponse(id), 'publish then waitForResponse'), response);
      }
    });

    check('an answer for one request id never resolves a wait for another', async (channel) => {
      const [a, b] = [newRequestId(), newRequestId()];
      const waiter = track(channel.waitForResponse(a));
      await channel.publishResponse(b, answer(7));
      await macrotasks(20);
      assert.equal(waiter.settled, false, 'a wait for another id must not be resolved');
      await channel.publishResponse(a, answer(8));
      assert.deepEqual(await deadline(waiter.promise, 'waitForResponse'), answer(8));
      assert.deepEqual(await deadline(channel.waitForResponse(b), 'the other answer'), answer(7));
    });

    check(`${concurrency} request ids at once, answered in random order, each get their own answer`, async (channel, t) => {
      const seed = deriveSeed(options.seed, 'channel many ids');
      t.diagnostic(`seed ${seed}`);
      const random = seededRandom(seed);
      const ids = Array.from({ length: concurrency }, newRequestId);
      const early = new Set(ids.filter((_, i) => i % 3 === 0));
      for (const id of early) await channel.publishResponse(id, answer(ids.indexOf(id)));
      const waits = ids.map((id) => channel.waitForResponse(id));
      await Promise.all(
        shuffled(random, ids.filter((id) => !early.has(id))).map(async (id) => {
          await randomYield(random);
          await channel.publishResponse(id, answer(ids.indexOf(id)));
        }),
      );
      const answers = await deadline(Promise.all(waits), 'many waits');
      answers.forEach((got, i) => assert.deepEqual(got, answer(i), `answer of request ${i} (seed ${seed})`));
    });

    check('abort rejects waitForResponse with the signal’s reason; a reused signal accumulates no listeners', async (channel) => {
      const reason = new Error('contract: stop waiting');
      const pre = new AbortController();
      pre.abort(reason);
      assert.equal(await rejection(channel.waitForResponse(newRequestId(), pre.signal), 'wait with an aborted signal'), reason);
      const controller = new AbortController();
      const pending = channel.waitForResponse(newRequestId(), controller.signal);
      await macrotasks(2);
      controller.abort(reason);
      assert.equal(await deadline(rejection(pending, 'aborted wait'), 'aborted wait'), reason);
      const reused = new AbortController();
      for (let i = 0; i < 3 * concurrency; i++) {
        const [x, y] = [newRequestId(), newRequestId()];
        const waiting = channel.waitForResponse(x, reused.signal);
        await channel.publishResponse(x, answer(i));
        assert.deepEqual(await deadline(waiting, 'wait with a reused signal'), answer(i));
        await channel.publishResponse(y, answer(i));
        assert.deepEqual(await deadline(channel.waitForResponse(y, reused.signal), 'wait after publish with a reused signal'), answer(i));
      }
      assert.equal(getEventListeners(reused.signal, 'abort').length, 0, 'every finished wait removed its abort listener');
    });

    check(`no lost answer: ${interleavings} randomized interleavings of wait / publish`, async (channel, t) => {
      const seed = deriveSeed(options.seed, 'channel races');
      t.diagnostic(`seed ${seed} (set ContractOptions.seed or MCP_TASKS_CONTRACT_SEED=${options.seed} to replay)`);
      const random = seededRandom(seed);
      for (let round = 0; round < interleavings; round++) {
        const id = newRequestId();
        const run = Promise.all([
          (async () => {
            await randomYield(random);
            return channel.waitForResponse(id);
          })(),
          (async () => {
            await randomYield(random);
            await channel.publishResponse(id, answer(round));
          })(),
        ]);
        let got: SettledResponse;
        try {
          [got] = await withDeadline(run, hangTimeoutMs, `interleaving ${round}`);
        } catch (error) {
          assert.fail(`interleaving ${round} failed (seed ${seed}, run seed ${options.seed}): ${describeError(error)}`);
        }
        assert.deepEqual(got, answer(round), `round ${round} (seed ${seed})`);
      }
    });

    check('close rejects pending waiters with StoreClosedError, later calls fail the same way, and close is idempotent', async (channel) => {
      const waiter = channel.waitForResponse(newRequestId());
      await macrotasks(2);
      await channel.close();
      await deadline(rejectsWith(waiter, StoreClosedError, 'a waiter when the channel closes'), 'waiter at close');
      await deadline(rejectsWith(settle(() => channel.publishResponse(newRequestId(), answer(0))), StoreClosedError, 'publishResponse after close'), 'publish after close');
      await deadline(rejectsWith(settle(() => channel.waitForResponse(newRequestId())), StoreClosedError, 'waitForResponse after close'), 'wait after close');
      await channel.close();
    });
  });
}
