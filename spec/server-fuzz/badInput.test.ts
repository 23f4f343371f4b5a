/**
 * Bad-input fuzz test: thousands of malformed `tasks/*` and task-augmented
 * `tools/call` requests, sent as raw JSON-RPC over an `InMemoryTransport` pair. Every one must get
 * the right JSON-RPC error code for its category, nothing may crash or reject unhandled, and a
 * normal task must still work afterwards. Seeded: set FUZZ_SEED to replay a run.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { enableTasks, TaskSupport } from '../../src/server/index.js';
import { registerConformanceFixtures } from '../../conformance/fixtureTools.js';
import { createReferenceSession } from '../../src/cli/serve/referenceServer.js';
import { envelopeCases, OMIT, paramsCases, Rng, ttlCase, type FuzzCase } from './badInputCases.js';

const SEED = process.env['FUZZ_SEED'] === undefined ? (Date.now() ^ (process.pid << 16)) >>> 0 : Number(process.env['FUZZ_SEED']) >>> 0;
const BATCH = 250;
const DEADLINE_MS = 15_000;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
before(() => {
  process.on('unhandledRejection', onUnhandled);
  console.log(`# bad-input fuzz seed: ${SEED} (replay with FUZZ_SEED=${SEED})`);
});
after(() => {
  process.off('unhandledRejection', onUnhandled);
});

type Reply = { id: number; result?: Record<string, unknown>; error?: { code: number; message: string } };

/** A raw JSON-RPC peer on one end of an in-memory pair: sends objects as they are, collects replies by id. */
class RawPeer {
  readonly #transport: InMemoryTransport;
  readonly #replies = new Map<number, Reply>();
  readonly #waiters = new Map<number, (reply: Reply) => void>();
  readonly stray: unknown[] = [];
  #nextId = 1;

  constructor(transport: InMemoryTransport) {
    this.#transport = transport;
    transport.onmessage = (message) => {
      const reply = message as unknown as Reply;
      if (!('id' in message)) return; // notifications (task status, progress) are not replies
      if (typeof reply.id !== 'number' || this.#replies.has(reply.id) || reply.id >= this.#nextId) {
        this.stray.push(message);
        return;
      }
      this.#replies.set(reply.id, reply);
      this.#waiters.get(reply.id)?.(reply);
      this.#waiters.delete(reply.id);
    };
  }

  async start(): Promise<void> {
    await this.#transport.start();
    const init = await this.request('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'fuzz', version: '1.0.0' },
    });
    assert.ok(init.result, 'initialize succeeded');
    await this.#transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  /** Sends a request object (any shape) and resolves with its reply. */
  send(method: string, params: unknown, envelope: Record<string, unknown> = {}): { id: number; reply: Promise<Reply> } {
    const id = this.#nextId++;
    const message: Record<string, unknown> = { jsonrpc: '2.0', id, method };
    if (params !== OMIT) message['params'] = params;
    Object.assign(message, envelope);
    const reply = new Promise<Reply>((resolve) => this.#waiters.set(id, resolve));
    void this.#transport.send(message as unknown as JSONRPCMessage);
    return { id, reply };
  }

  async request(method: string, params: unknown): Promise<Reply> {
    return this.send(method, params).reply;
  }

  get replyCount(): number {
    return this.#replies.size;
  }
}

/** Waits for every reply, failing (with the ids that got none) after a bounded deadline. */
async function allReplies(pending: Array<{ id: number; reply: Promise<Reply>; fuzz: FuzzCase }>): Promise<Reply[]> {
  let timer: NodeJS.Timeout | undefined;
  const answered = new Set<number>();
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const missing = pending.filter((p) => !answered.has(p.id)).slice(0, 5);
      reject(new Error(`no reply within ${DEADLINE_MS} ms for ${missing.map((p) => `${p.fuzz.category} ${describe(p.fuzz)}`).join('; ')}`));
    }, DEADLINE_MS);
  });
  try {
    return await Promise.race([Promise.all(pending.map((p) => p.reply.then((r) => (answered.add(p.id), r)))), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(fuzz: FuzzCase): string {
  const params = fuzz.params === OMIT ? '<no params>' : JSON.stringify(fuzz.params, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  return `${fuzz.method} ${params?.slice(0, 160)}${fuzz.envelope ? ` envelope ${JSON.stringify(fuzz.envelope)}` : ''}`;
}

/** Checks one reply against its case; returns a failure message or undefined. */
function check(fuzz: FuzzCase, reply: Reply): string | undefined {
  if (fuzz.expect.kind === 'error') {
    if (reply.error === undefined) return `expected error ${fuzz.expect.code}, got a success: ${JSON.stringify(reply.result).slice(0, 200)}`;
    if (reply.error.code !== fuzz.expect.code) return `expected error ${fuzz.expect.code}, got ${reply.error.code} ${reply.error.message.slice(0, 200)}`;
    if (typeof reply.error.message !== 'string' || reply.error.message.length === 0) return 'error without a message (R78)';
    return undefined;
  }
  if (reply.error !== undefined) return reply.error.code === -32602 ? undefined : `odd ttl: expected a task or -32602, got ${reply.error.code}`;
  const task = (reply.result as { task?: { ttl?: unknown; status?: unknown } } | undefined)?.task;
  if (task === undefined) return `odd ttl: expected a CreateTaskResult, got ${JSON.stringify(reply.result)}`;
  if (!(task.ttl === null || (Number.isSafeInteger(task.ttl) && (task.ttl as number) >= 0))) return `odd ttl: reported ttl ${String(task.ttl)} is not a real one (R41)`;
  return undefined;
}

/** Runs a normal task from start to end: tools/call with task, tasks/get, tasks/result. */
async function normalTaskWorks(peer: RawPeer, text: string): Promise<string> {
  const created = await peer.request('tools/call', { name: 'tasks_conformance_optional', arguments: { text }, task: { ttl: 60_000 } });
  assert.ok(created.result, `task creation failed: ${JSON.stringify(created.error)}`);
  const taskId = (created.result['task'] as { taskId: string }).taskId;
  const result = await peer.request('tasks/result', { taskId });
  assert.ok(result.result, `tasks/result failed: ${JSON.stringify(result.error)}`);
  assert.deepEqual(result.result['content'], [{ type: 'text', text }]);
  const got = await peer.request('tasks/get', { taskId });
  assert.equal((got.result as { status: string }).status, 'completed');
  return taskId;
}

/** Fuzzes one connected peer with `count` cases drawn from the generators. */
async function fuzz(peer: RawPeer, rng: Rng, count: number, generators: Array<(rng: Rng) => FuzzCase>): Promise<Map<string, number>> {
  const perCategory = new Map<string, number>();
  /** "category: problem" → how often, with one example. */
  const failures = new Map<string, { count: number; example: string }>();
  for (let sent = 0; sent < count; ) {
    const pending: Array<{ id: number; reply: Promise<Reply>; fuzz: FuzzCase }> = [];
    for (let i = 0; i < BATCH && sent < count; i++, sent++) {
      const fuzzCase = rng.chance(0.03) ? ttlCase(rng) : rng.pick(generators)(rng);
      perCategory.set(fuzzCase.category, (perCategory.get(fuzzCase.category) ?? 0) + 1);
      pending.push({ ...peer.send(fuzzCase.method, fuzzCase.params, fuzzCase.envelope), fuzz: fuzzCase });
    }
    const replies = await allReplies(pending);
    replies.forEach((reply, i) => {
      const { fuzz: fuzzCase } = pending[i]!;
      const problem = check(fuzzCase, reply);
      if (problem === undefined) return;
      const key = `[${fuzzCase.category}] ${problem.replace(/\s+/g, ' ').slice(0, 90)}`;
      const entry = failures.get(key) ?? { count: 0, example: describe(fuzzCase) };
      entry.count++;
      failures.set(key, entry);
    });
  }
  const report = [...failures].map(([key, { count, example }]) => `${count}× ${key} — e.g. ${example}`);
  assert.deepEqual(report, [], `seed ${SEED}: wrong answers`);
  return perCategory;
}

async function prepare(peer: RawPeer): Promise<{ known: string[]; terminal: string[] }> {
  const terminal = [await normalTaskWorks(peer, 'one'), await normalTaskWorks(peer, 'two')];
  const failed = await peer.request('tools/call', { name: 'tasks_conformance_tool_error', arguments: { message: 'bad' }, task: {} });
  const failedId = (failed.result!['task'] as { taskId: string }).taskId;
  await peer.request('tasks/result', { taskId: failedId });
  terminal.push(failedId);
  return { known: [...terminal], terminal };
}

test('R64, R69, R70, R10, R13, R94: bad input to the task runtime (enableTasks + fixtures): ≥ 10,000 malformed requests, each with the right error code', async () => {
  const taskSupport = TaskSupport.inMemory();
  const server = new Server({ name: 'fuzz-target', version: '1.0.0' }, { capabilities: {} });
  const tasks = enableTasks(server, { taskSupport });
  registerConformanceFixtures(tasks);
  const serverErrors: Error[] = [];
  server.onerror = (error) => serverErrors.push(error);
  const [clientEnd, serverEnd] = InMemoryTransport.createLinkedPair();
  await server.connect(serverEnd);
  const peer = new RawPeer(clientEnd);
  try {
    await peer.start();
    const { known, terminal } = await prepare(peer);
    const rng = new Rng(SEED);
    const perCategory = await fuzz(peer, rng, 10_000, paramsCases(known, terminal));
    assert.ok([...perCategory.values()].reduce((a, b) => a + b, 0) >= 10_000);
    assert.ok(perCategory.size >= 13, `every category was drawn: ${[...perCategory.keys()].join(', ')}`);
    // Still serving: a normal task works from start to end.
    await normalTaskWorks(peer, 'after the storm');
    assert.deepEqual(peer.stray, [], 'no reply to an id that was not sent, and none twice');
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
    assert.deepEqual(serverErrors.map(String), [], 'the server reported no protocol errors');
  } finally {
    await server.close();
    await taskSupport.close();
  }
});

test('R64, R69, R70, R10, R13, R94: bad input to the reference server session (with its request guard), envelope-level malformations too', async () => {
  const taskSupport = TaskSupport.inMemory();
  const session = createReferenceSession({ taskSupport, list: true, sideChannel: 'request-stream' });
  const [clientEnd, serverEnd] = InMemoryTransport.createLinkedPair();
  await session.connect(serverEnd);
  const peer = new RawPeer(clientEnd);
  try {
    await peer.start();
    const { known, terminal } = await prepare(peer);
    const rng = new Rng(SEED ^ 0x5eed);
    const perCategory = await fuzz(peer, rng, 4_000, [...paramsCases(known, terminal), ...envelopeCases()]);
    assert.ok(perCategory.size >= 17, `every category was drawn: ${[...perCategory.keys()].join(', ')}`);
    await normalTaskWorks(peer, 'still here');
    assert.deepEqual(peer.stray, []);
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
  } finally {
    await session.close();
    await taskSupport.close();
  }
});
