/**
 * `enableTasks(server)`: turns 2025-11-25 tasks on for one low-level SDK `Server`, sharing a
 * `TaskSupport` (R1, R2, R87); and `runTask` for servers with their own `tools/call` handler.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CreateTaskResult, Request, Result, TaskMetadata } from '@modelcontextprotocol/sdk/types.js';
import type { EnableTasksOptions } from './options.js';
import type { ServerRequestExtra } from './scope.js';
import { ServerTaskBinding, type RunTaskOptions, type TaskWork } from './serverTaskBinding.js';

const enabled = new WeakMap<Server, ServerTaskBinding>();

/**
 * Enables tasks on a low-level `Server` before it connects: declares `tasks.requests.tools.call`,
 * `tasks.cancel` and (unless `list: false`) `tasks.list` (R1, R2, R87), and serves `tasks/get`,
 * `tasks/result`, `tasks/list` and `tasks/cancel` (replacing the SDK's built-ins if the server was
 * given a `taskStore`). Throws if called twice for one server, or after `connect()`.
 */
export function enableTasks(server: Server, options: EnableTasksOptions = {}): ServerTaskBinding {
  if (enabled.has(server)) throw new Error('Tasks are already enabled on this server: call enableTasks() once per server');
  if (server.transport !== undefined) throw new Error('enableTasks() must be called before connect(): capabilities cannot change afterwards');
  const tasks = new ServerTaskBinding(server, options);
  enabled.set(server, tasks);
  return tasks;
}

/** The {@link ServerTaskBinding} of a server, if tasks were enabled on it. */
export function serverTasksOf(server: Server): ServerTaskBinding | undefined {
  return enabled.get(server);
}

/**
 * Runs `work` as a task of a task-augmented request received by a server with tasks enabled
 * (the function form of {@link ServerTaskBinding.runTask}).
 */
export function runTask<R extends Result>(
  tasks: ServerTaskBinding,
  request: Request & { params?: { task?: TaskMetadata } },
  extra: ServerRequestExtra,
  work: TaskWork<R>,
  options?: RunTaskOptions,
): Promise<CreateTaskResult> {
  return tasks.runTask(request, extra, work, options);
}
