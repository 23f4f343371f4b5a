/**
 * Redis faults injected during a burst of tasks across reference-server processes (stateless,
 * `--demo-auth`, `--redis`), and what must hold afterwards: every task the burst created reaches a
 * terminal state within the bound, every completed task has its own result, no request hangs
 * (each is answered or fails clearly within `REQUEST_DEADLINE_MS`), and every process answers.
 * Used by spec/faults/redisFaults.test.ts (each scenario once) and `npm run chaos` (many times).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ListTasksResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { Redis } from 'ioredis';
import { RedisServer } from '../support/redisServer.js';
import { callAsTask, clientOf, listAll, startRefServer, taskResult, textOf, type RefServer } from '../stores/redis/refServers.js';

/** Lease and orphan check of the processes under test (short, so that the bound is a few seconds). */
export const LEASE_MS = 2_000;
export const CHECK_INTERVAL_MS = 500;
/** The runtime retries an outcome write at most this far apart while Redis is away. */
export const WRITE_RETRY_MAX_MS = 5_000;
/** After Redis is back, every task is terminal within this (lease + check, or the write retry, plus slack). */
export const TERMINAL_BOUND_MS = Math.max(LEASE_MS + CHECK_INTERVAL_MS, WRITE_RETRY_MAX_MS) + 2_000;
/** No request may take longer: the command timeout (5 s) and reconnection, plus slack. */
export const REQUEST_DEADLINE_MS = 12_000;

/** How long the burst of creations lasts (ms). */
const BURST_MS = 1_500;

/** A fault, done to Redis while the burst runs; resolves once Redis serves again. */
export interface Fault {
  readonly name: string;
  inject(redis: RedisServer): Promise<void>;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The faults of the suite; `outageMs` is how long Redis stays away where it goes away. */
export function faults(outageMs: number): Fault[] {
  return [
    {
      name: `SIGKILL, back after ${outageMs} ms (AOF)`,
      async inject(redis) {
        await redis.kill();
        await pause(outageMs);
        await redis.restart();
      },
    },
    {
      name: 'SIGTERM and immediate restart on the same port',
      async inject(redis) {
        await redis.stopWith('SIGTERM');
        await redis.restart();
      },
    },
    {
      name: `stalled ${Math.min(outageMs, 3_000)} ms (CLIENT PAUSE ALL)`,
      async inject(redis) {
        const admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
        try {
          await admin.call('CLIENT', 'PAUSE', String(Math.min(outageMs, 3_000)), 'ALL');
        } finally {
          admin.disconnect();
        }
        await pause(Math.min(outageMs, 3_000));
      },
    },
    {
      name: 'connections dropped by Redis (CLIENT KILL TYPE normal, TYPE pubsub)',
      async inject(redis) {
        const admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
        try {
          await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
          await admin.call('CLIENT', 'KILL', 'TYPE', 'normal');
        } finally {
          admin.disconnect();
        }
      },
    },
  ];
}

/** What one run of a scenario measured. */
export interface ScenarioFigures {
  fault: string;
  processes: number;
  /** Tasks the burst created (their CreateTaskResult arrived). */
  created: number;
  /** Creations that failed with a clear error (during the fault). */
  createErrors: number;
  completed: number;
  /** Tasks failed by the fault (orphaned, or could not start or store): each with a message. */
  failed: number;
  /** Longest time after Redis was back until the last task was terminal (ms). */
  terminalAfterMs: number;
  /** Longest answer time of any request (ms). */
  slowestRequestMs: number;
  /** Time after Redis was back until every process answered tasks/list (ms). */
  recoveredAfterMs: number;
  /** What went wrong; empty when the run held. */
  problems: string[];
}

/** Answers within the deadline, else rejects with a "hung" error; records the answer time. */
async function bounded<T>(slowest: { ms: number }, what: string, request: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      request(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`HUNG: ${what} got no answer within ${REQUEST_DEADLINE_MS} ms`)), REQUEST_DEADLINE_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    slowest.ms = Math.max(slowest.ms, Date.now() - started);
  }
}

/** A deployment: one Redis (AOF) and `processes` stateless reference servers on it. */
export class Deployment {
  readonly redis: RedisServer;
  readonly servers: RefServer[];
  readonly #clients: Client[] = [];
  readonly token = `faults-${randomUUID()}`;

  private constructor(redis: RedisServer, servers: RefServer[]) {
    this.redis = redis;
    this.servers = servers;
  }

  static async start(processes: number): Promise<Deployment> {
    const redis = await RedisServer.start({ appendOnly: true });
    const env = { MCP_TASKS_REDIS_LEASE_MS: String(LEASE_MS), MCP_TASKS_REDIS_LEASE_CHECK_INTERVAL_MS: String(CHECK_INTERVAL_MS) };
    const servers: RefServer[] = [];
    try {
      for (let i = 0; i < processes; i++) servers.push(await startRefServer(redis.url, ['--stateless', '--demo-auth'], env));
    } catch (error) {
      await Promise.allSettled(servers.map((server) => server.stop()));
      await redis.stop();
      throw error;
    }
    return new Deployment(redis, servers);
  }

  /** A client of the identity on a random process. */
  async client(): Promise<Client> {
    const server = this.servers[Math.floor(Math.random() * this.servers.length)]!;
    const client = await clientOf(server.url, this.token);
    this.#clients.push(client);
    return client;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.#clients.map((client) => client.close()));
    await Promise.allSettled(this.servers.map((server) => server.stop()));
    await this.redis.stop();
  }
}

/**
 * Runs one scenario on a fresh deployment: a burst of `tasks` tasks (each 100–1,500 ms of work,
 * created through random processes), `fault` injected while they are created and run, then checks.
 */
export async function runScenario(fault: Fault, options: { processes: number; tasks: number }): Promise<ScenarioFigures> {
  const deployment = await Deployment.start(options.processes);
  const slowest = { ms: 0 };
  const problems: string[] = [];
  const created: { taskId: string; text: string }[] = [];
  let createErrors = 0;
  try {
    const clients = await Promise.all(deployment.servers.map(() => deployment.client()));
    const any = (): Client => clients[Math.floor(Math.random() * clients.length)]!;
    const burst = (async () => {
      for (let i = 0; i < options.tasks; i++) {
        const text = `result ${i}`;
        void bounded(slowest, `tools/call #${i}`, () => callAsTask(any(), 'tasks_conformance_optional', { text, delayMs: 100 + ((i * 137) % 1_400) })).then(
          (task) => created.push({ taskId: task.taskId, text }),
          (error: unknown) => {
            createErrors += 1;
            if (String(error).includes('HUNG')) problems.push(String(error));
          },
        );
        await pause(BURST_MS / options.tasks);
      }
    })();
    // the fault comes while tasks are being created and run (some before it, some during, some after)
    await pause(BURST_MS / 4 + Math.floor(Math.random() * (BURST_MS / 4)));
    await fault.inject(deployment.redis);
    const backAt = Date.now();
    await burst;
    // every process answers again (tasks/list through each)
    let recoveredAfterMs = 0;
    for (const client of clients) {
      for (;;) {
        try {
          await bounded(slowest, 'tasks/list', () => client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema));
          break;
        } catch (error) {
          if (String(error).includes('HUNG')) {
            problems.push(String(error));
            break;
          }
          if (Date.now() - backAt > TERMINAL_BOUND_MS) {
            problems.push(`a process still fails tasks/list ${TERMINAL_BOUND_MS} ms after Redis was back: ${String(error)}`);
            break;
          }
          await pause(100);
        }
      }
      recoveredAfterMs = Math.max(recoveredAfterMs, Date.now() - backAt);
    }
    // creations still in flight settle within the request deadline
    const settleBy = Date.now() + REQUEST_DEADLINE_MS;
    while (created.length + createErrors < options.tasks && Date.now() < settleBy) await pause(50);
    if (created.length + createErrors < options.tasks) problems.push(`${options.tasks - created.length - createErrors} tools/call never settled`);
    // every created task: its own result, or a clear failure; none left running past the bound
    let completed = 0;
    let failed = 0;
    let terminalAfterMs = 0;
    await Promise.all(
      created.map(async ({ taskId, text }) => {
        try {
          const result = await bounded(slowest, `tasks/result ${taskId}`, () => taskResult(any(), taskId));
          if (textOf(result) === text) completed += 1;
          else problems.push(`task ${taskId}: wrong result ${JSON.stringify(textOf(result))}, expected ${JSON.stringify(text)}`);
        } catch (error) {
          const message = String(error);
          if (message.includes('HUNG')) problems.push(message);
          else if (/-32603/.test(message) && message.length > 20) failed += 1;
          else problems.push(`task ${taskId}: unclear failure ${message}`);
        }
        terminalAfterMs = Math.max(terminalAfterMs, Date.now() - backAt);
      }),
    );
    if (terminalAfterMs > TERMINAL_BOUND_MS) problems.push(`the last task ended ${terminalAfterMs} ms after Redis was back (bound ${TERMINAL_BOUND_MS} ms)`);
    // Nothing of this identity is left running, tasks whose creation reply was lost included (their
    // provisional lease lapses). No event tells that a whole identity's tasks have ended, so the
    // list is read again every 250 ms, until the bound.
    for (;;) {
      const listed = await bounded(slowest, 'tasks/list (all pages)', () => listAll(any));
      const running = listed.filter((task) => task.status === 'working' || task.status === 'input_required');
      if (running.length === 0) break;
      if (Date.now() - backAt > TERMINAL_BOUND_MS) {
        problems.push(`${running.length} task(s) still ${running[0]!.status} ${TERMINAL_BOUND_MS} ms after Redis was back (e.g. ${running[0]!.taskId})`);
        break;
      }
      await pause(250);
    }
    return {
      fault: fault.name,
      processes: options.processes,
      created: created.length,
      createErrors,
      completed,
      failed,
      terminalAfterMs,
      slowestRequestMs: slowest.ms,
      recoveredAfterMs,
      problems,
    };
  } finally {
    await deployment.stop();
  }
}

