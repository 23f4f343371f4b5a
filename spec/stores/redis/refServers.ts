/** Reference-server child processes on one Redis, and SDK clients for them (helper of the cross-process tests). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CancelTaskResultSchema,
  CreateTaskResultSchema,
  GetTaskResultSchema,
  ListTasksResultSchema,
  type CallToolResult,
  type ClientCapabilities,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';

/** `main.js` of the compiled tree these tests run from (`dist/` or `.out/<name>/`). */
const MAIN_JS = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));

/** Bound on a child's start-up and shutdown (not a timing assertion). */
export const CHILD_DEADLINE_MS = 20_000;

/** Every running server child, SIGKILLed when this process exits, however it exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** One `mcp-tasks serve --redis URL` (or `--redis-cluster`) process. */
export interface RefServer {
  readonly url: string;
  readonly child: ChildProcess;
  stderr(): string;
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Where the servers' Redis is: a URL, or the seed nodes of a Redis Cluster (`host:port,…`). */
export type RefRedis = string | { cluster: string };

/** Starts `serve --port 0 --redis <url> <flags>` (or `--redis-cluster <seeds>`) and resolves once it prints its URL. */
export async function startRefServer(redis: RefRedis, flags: string[], env: NodeJS.ProcessEnv = {}): Promise<RefServer> {
  const backend = typeof redis === 'string' ? ['--redis', redis] : ['--redis-cluster', redis.cluster];
  const child = spawn(process.execPath, [MAIN_JS, 'serve', '--port', '0', ...backend, ...flags], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in time: ${stderr}`)), CHILD_DEADLINE_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const found = /http:\/\/\S+/.exec(line)?.[0];
      if (found !== undefined) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`serve exited before it was ready: ${stderr}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    url,
    child,
    stderr: () => stderr,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_DEADLINE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** An SDK client over Streamable HTTP with `Authorization: Bearer <token>` (the `--demo-auth` identity). */
export async function clientOf(url: string, token: string, capabilities: ClientCapabilities = {}): Promise<Client> {
  const client = new Client({ name: 'redis-cross-process', version: '1.0.0' }, { capabilities });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

/** `tools/call` as a task; the created task. */
export async function callAsTask(client: Client, name: string, args: Record<string, unknown>): Promise<Task> {
  return (await client.request({ method: 'tools/call', params: { name, arguments: args, task: { ttl: 600_000 } } }, CreateTaskResultSchema)).task;
}

export function getTask(client: Client, taskId: string): Promise<Task> {
  return client.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema);
}

export function taskResult(client: Client, taskId: string): Promise<CallToolResult> {
  return client.request({ method: 'tasks/result', params: { taskId } }, CallToolResultSchema, { timeout: CHILD_DEADLINE_MS });
}

export function cancelTask(client: Client, taskId: string): Promise<Task> {
  return client.request({ method: 'tasks/cancel', params: { taskId } }, CancelTaskResultSchema);
}

/** Every task of the client's identity, following the cursors (each page from `pick()`'s client). */
export async function listAll(pick: () => Client): Promise<Task[]> {
  const tasks: Task[] = [];
  let cursor: string | undefined;
  do {
    const page = await pick().request({ method: 'tasks/list', params: cursor === undefined ? {} : { cursor } }, ListTasksResultSchema);
    tasks.push(...page.tasks);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tasks;
}

/** The text of a tool result's first content. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}
