/**
 * W8: the 2026-07-28 tasks extension beside the 2025-11-25 tasks, on one reference server (stateless
 * Streamable HTTP on 127.0.0.1, raw requests, in memory and on Redis):
 * - a lifecycle of an instant tool: 2026-07-28 `tools/call` → `tasks/get` until terminal, against
 *   2025-11-25 `tools/call` with `task` → `tasks/result`;
 * - completion → the client seeing the result (from the task's `lastUpdatedAt` when it completed,
 *   ms resolution, to the moment the client has it): with `subscriptions/listen`, with polling
 *   `tasks/get` at the task's `pollIntervalMs` (the default, 1 s), and with 2025-11-25's blocking
 *   `tasks/result`.
 */
import { startReferenceServer } from '../../../src/cli/serve/index.js';
import { listen, post, readAnswer, sseMessages } from '../../support/modernWire.js';
import type { BenchContext } from '../context.js';
import { failure } from '../context.js';
import { unavailableRow, type ResultRow } from '../results.js';
import { perSecond, summarize, timeSequential } from '../stats.js';

const LEGACY_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };
const INSTANT = { name: 'tasks_conformance_optional', arguments: { text: 'hello' } };
const SHORT = { name: 'slow_compute', arguments: { seconds: 0.05 } };
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

let nextId = 0;

/** A 2025-11-25 request on a stateless server (no session, no handshake needed). */
async function legacy(url: string, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const id = `bench-${++nextId}`;
  const response = await fetch(url, { method: 'POST', headers: LEGACY_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id, method, params }) });
  const answer = await readAnswer(response, id);
  if (answer.error) throw new Error(`${method}: ${answer.error.message}`);
  return answer.result!;
}

async function modern(url: string, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const answer = await post(url, method, params);
  if (answer.error) throw new Error(`${method}: ${answer.error.message}`);
  return answer.result!;
}

/** 2026-07-28: create, then `tasks/get` (at once, then at the task's interval) until terminal; resolves with the final task. */
async function modernLifecycle(url: string, call: Record<string, unknown>, interval?: number): Promise<Record<string, unknown>> {
  const created = await modern(url, 'tools/call', call);
  const taskId = created['taskId'] as string;
  for (let polls = 0; polls < 1_000; polls++) {
    const task = await modern(url, 'tasks/get', { taskId });
    if (TERMINAL.has(task['status'] as string)) return task;
    await new Promise((resolve) => setTimeout(resolve, interval ?? (task['pollIntervalMs'] as number)));
  }
  throw new Error(`task ${taskId} did not end`);
}

/** 2025-11-25: create with `task`, then the blocking `tasks/result`; resolves with the task id and when the result arrived. */
async function legacyLifecycle(url: string, call: Record<string, unknown>): Promise<{ taskId: string; arrived: number }> {
  const created = await legacy(url, 'tools/call', { ...call, task: {} });
  const taskId = (created['task'] as { taskId: string }).taskId;
  await legacy(url, 'tasks/result', { taskId });
  return { taskId, arrived: Date.now() };
}

/** Completion → seen with listen: the completed notification's arrival minus its lastUpdatedAt. */
async function seenByListen(url: string): Promise<number> {
  const created = await modern(url, 'tools/call', SHORT);
  const response = await listen(url, [created['taskId'] as string]);
  for await (const message of sseMessages(response)) {
    const params = message['params'] as Record<string, unknown> | undefined;
    if (message['method'] === 'notifications/tasks' && params?.['status'] === 'completed') return Date.now() - Date.parse(params['lastUpdatedAt'] as string);
  }
  throw new Error('the stream ended without the completed task');
}

async function seenByPolling(url: string): Promise<number> {
  const task = await modernLifecycle(url, SHORT);
  return Date.now() - Date.parse(task['lastUpdatedAt'] as string);
}

async function seenByTaskResult(url: string): Promise<number> {
  const { taskId, arrived } = await legacyLifecycle(url, SHORT);
  const task = await legacy(url, 'tasks/get', { taskId });
  return arrived - Date.parse(task['lastUpdatedAt'] as string);
}

async function samples(n: number, op: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await op());
  return out;
}

/** W8 (see the module comment). */
export async function runW8(ctx: BenchContext): Promise<ResultRow[]> {
  const { warmup, n, nSeen, nPolling } = ctx.config.w8;
  const rows: ResultRow[] = [];
  for (const subject of ['ours-memory', 'ours-redis'] as const) {
    const label = subject === 'ours-memory' ? 'mcp-tasks, in memory' : 'mcp-tasks, Redis';
    const base = { workload: 'W8', subject, label, transport: 'http' } as const;
    let redisUrl: string | undefined;
    if (subject === 'ours-redis') {
      const redis = await ctx.redis();
      if (typeof redis === 'string') {
        rows.push(unavailableRow({ ...base, case: 'extension path' }, redis));
        continue;
      }
      redisUrl = redis.url;
    }
    const server = await startReferenceServer({ port: 0, stateless: true, ...(redisUrl === undefined ? {} : { redisUrl }) });
    const url = server.url!;
    try {
      for (const [name, op] of [
        ['lifecycle 2026-07-28 (tools/call → tasks/get)', () => modernLifecycle(url, INSTANT, 0).then(() => undefined)],
        ['lifecycle 2025-11-25 (tools/call task → tasks/result)', () => legacyLifecycle(url, INSTANT).then(() => undefined)],
      ] as const) {
        await timeSequential(warmup, op);
        const run = await timeSequential(n, op);
        const summary = summarize(run.samples);
        rows.push({ ...base, case: name, kind: 'latency', ...summary, perSecond: perSecond(run.samples.length, run.totalMs) });
        ctx.log(`W8 ${subject} ${name}: median ${summary.medianMs.toFixed(3)} ms`);
      }
      for (const [name, count, op] of [
        ['completion → seen, 2026-07-28 subscriptions/listen', nSeen, () => seenByListen(url)],
        ['completion → seen, 2026-07-28 polling tasks/get at pollIntervalMs (1 s)', nPolling, () => seenByPolling(url)],
        ['completion → seen, 2025-11-25 blocking tasks/result', nSeen, () => seenByTaskResult(url)],
      ] as const) {
        const seen = await samples(count, op);
        rows.push({ ...base, case: name, kind: 'latency', ...summarize(seen), note: 'from lastUpdatedAt (ms resolution)' });
        ctx.log(`W8 ${subject} ${name}: median ${summarize(seen).medianMs.toFixed(1)} ms`);
      }
    } catch (err) {
      rows.push({ ...base, case: 'extension path', kind: 'value', note: failure(err) });
    } finally {
      await server.close();
    }
  }
  return rows;
}
