/** Helpers of the reference-server tests: a `serve` child process and raw task requests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startReferenceServer, type ReferenceServer } from '../../src/cli/serve/index.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CancelTaskResultSchema,
  CreateMessageRequestSchema,
  CreateTaskResultSchema,
  ElicitRequestSchema,
  GetTaskResultSchema,
  ListTasksResultSchema,
  McpError,
  type CallToolResult,
  type ClientCapabilities,
  type CreateTaskResult,
  type Task,
  TaskStatusNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';

/** `main.js` of the compiled tree this test runs from (`dist/` or `.out/<name>/`). */
export const MAIN_JS = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** How long a child may take to start or stop before the test gives up (a bound, not a timing assertion). */
export const CHILD_DEADLINE_MS = 20_000;

export interface ServeChild {
  readonly child: ChildProcess;
  /** The URL of the ready line (HTTP modes). */
  readonly url: string;
  /** Every stdout line so far. */
  readonly stdoutLines: string[];
  /** stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
}

/** Rejects after `ms` with `message` unless `promise` settles first; the timer never outlives it. */
export async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `node main.js serve <args>` and resolves with the exit code, stdout and stderr once it exits. */
export function runServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return runNode([MAIN_JS, 'serve', ...args], env);
}

/** This process's environment with `changes` applied (an `undefined` value removes the variable). */
function childEnv(changes: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete env[key];
  return env;
}

/** Runs `node <argv>` and resolves with the exit code, stdout and stderr once it exits (bounded). */
export async function runNode(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, argv, { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await within(exitOf(child), CHILD_DEADLINE_MS, `node ${argv.join(' ')} did not exit`).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { code, stdout, stderr };
}

function exitOf(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}

/** Starts `node main.js serve <args>` and resolves once it printed its ready line with a URL. */
export function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeChild> {
  return startNode([MAIN_JS, 'serve', ...args], env);
}

/** Starts `node <argv>` and resolves once it printed a line with a URL on stdout (bounded). */
export async function startNode(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeChild> {
  const child = spawn(process.execPath, argv, { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const stdoutLines: string[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = exitOf(child);
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      stdoutLines.push(line);
      const url = /http:\/\/\S+/.exec(line)?.[0];
      if (url !== undefined) resolve(url);
    });
    void exited.then((code) => reject(new Error(`node ${argv.join(' ')} exited (${code}) before it was ready: ${stderr}`)));
  });
  let url: string;
  try {
    url = await within(ready, CHILD_DEADLINE_MS, `node ${argv.join(' ')} printed no ready line`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, url, stdoutLines, stderr: () => stderr, exited };
}

/** Sends `signal` and resolves with the exit code (SIGKILLs and throws if the process hangs). */
export async function stopServe(serve: ServeChild, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
  if (serve.child.exitCode !== null) return serve.exited;
  serve.child.kill(signal);
  try {
    return await within(serve.exited, CHILD_DEADLINE_MS, `serve did not exit after ${signal}`);
  } catch (error) {
    serve.child.kill('SIGKILL');
    throw error;
  }
}

/** A connected SDK client over Streamable HTTP. */
export async function httpClient(url: string, options: { token?: string; capabilities?: ClientCapabilities } = {}): Promise<Client> {
  const client = new Client({ name: 'serve-test', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  const headers: Record<string, string> = options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` };
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** `tools/call` with `task`; resolves with the created task. */
export async function createTask(client: Client, name: string, args: Record<string, unknown>, meta?: Record<string, unknown>): Promise<Task> {
  const result: CreateTaskResult = await client.request(
    { method: 'tools/call', params: { name, arguments: args, task: { ttl: 60_000 }, ...(meta ? { _meta: meta } : {}) } },
    CreateTaskResultSchema,
  );
  return result.task;
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

export async function listTasks(client: Client): Promise<Task[]> {
  return (await client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema)).tasks;
}

/** The text of a result's first content block. */
export function textOf(result: CallToolResult): string {
  const block = result.content[0];
  if (block?.type !== 'text') throw new Error(`expected text content, got ${JSON.stringify(result.content)}`);
  return block.text;
}

/** The JSON-RPC error code a request rejected with. */
export async function errorCode(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof McpError) return error.code;
    throw error;
  }
  throw new Error('expected a JSON-RPC error, got a result');
}

/** A raw JSON-RPC POST (no SDK client), e.g. to see HTTP status codes. */
export async function rawPost(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/**
 * Resolves once a task status notification arrives on the standalone GET stream, which the SDK
 * client opens asynchronously after initialization: until then the server's notifications to it
 * are dropped. Creates quick tasks until one's notification arrives (bounded attempts).
 * Replaces the client's task-status notification handler.
 */
export async function standaloneStreamOpen(client: Client): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const seen = new Promise<void>((resolve) => client.setNotificationHandler(TaskStatusNotificationSchema, () => resolve()));
    await createTask(client, 'tasks_conformance_optional', { text: 'ping' });
    try {
      await within(seen, 1_000, 'no status notification on the standalone stream');
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
    }
  }
}

/**
 * A connected SDK client that declares elicitation and sampling and answers them: every form
 * elicitation is accepted with `{ confirm: true }`, every sampling request gets the text
 * `sampled: <first user text>`. `asked` lists the methods of the requests it received.
 */
export async function answeringClient(url: string, options: { token?: string } = {}): Promise<{ client: Client; asked: string[] }> {
  const client = await httpClient(url, { ...options, capabilities: { elicitation: { form: {} }, sampling: {} } });
  const asked: string[] = [];
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    asked.push(request.method);
    return { action: 'accept', content: { confirm: true } };
  });
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    asked.push(request.method);
    const first = request.params.messages[0]?.content;
    const prompt = first && !Array.isArray(first) && first.type === 'text' ? first.text : '';
    return { role: 'assistant', model: 'test-model', content: { type: 'text', text: `sampled: ${prompt}` } };
  });
  return { client, asked };
}

/** Runs `body` against an in-process reference server on a free port, closed afterwards. */
export async function withServer(options: Parameters<typeof startReferenceServer>[0], body: (server: ReferenceServer) => Promise<void>): Promise<void> {
  const server = await startReferenceServer({ port: 0, ...options });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}
