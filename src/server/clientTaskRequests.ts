/**
 * Server-side requestor helpers: a server asks the client to run elicitation or sampling **as a
 * task** (the client is the receiver), then polls the client's task with the same handle logic as
 * tool tasks (Python's `elicit_as_task` / `create_message_as_task`).
 *
 * `params.task` is sent only when the client declared `tasks.requests.elicitation.create` /
 * `tasks.requests.sampling.createMessage` (R3, R4); otherwise the request goes plainly and the
 * handle has `returnedImmediately: true` — or, with `requireTask`, fails before sending.
 */
import {
  CreateMessageResultSchema,
  CreateMessageResultWithToolsSchema,
  ElicitResultSchema,
  type ClientCapabilities,
  type CreateMessageRequest,
  type CreateMessageResult,
  type CreateMessageResultWithTools,
  type ElicitRequest,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { CapabilityMissingError } from '../core/errors.js';
import type { RequestPeer } from '../requestor/peer.js';
import { requestAsTask, type RequestAsTaskOptions } from '../requestor/requestAsTask.js';
import type { TaskHandle } from '../requestor/taskHandle.js';

/** A server as seen by these helpers (an SDK `Server`; for `McpServer` pass `mcpServer.server`). */
export interface TaskRequestingServer extends RequestPeer {
  getClientCapabilities(): ClientCapabilities | undefined;
}

/** Options of {@link elicitAsTask} and {@link createMessageAsTask}. */
export interface ClientTaskRequestOptions extends Omit<RequestAsTaskOptions, 'asTask'> {
  /** Fail with `CapabilityMissingError` (-32600) instead of sending plainly when the client cannot host the task. */
  requireTask?: boolean;
}

/** Elicitation params without the task augmentation (added by {@link elicitAsTask}). */
export type ElicitAsTaskParams = ElicitRequest['params'] extends infer P ? (P extends unknown ? Omit<P, 'task'> : never) : never;

/** Sampling params without the task augmentation (added by {@link createMessageAsTask}). */
export type CreateMessageAsTaskParams = Omit<CreateMessageRequest['params'], 'task'>;

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

function decide(server: TaskRequestingServer, base: 'elicitation' | 'sampling', options: ClientTaskRequestOptions): boolean {
  const caps = server.getClientCapabilities();
  if (!present(caps?.[base])) throw new CapabilityMissingError(`Client does not support ${base}`);
  const requests = caps?.tasks?.requests;
  const capable = base === 'elicitation' ? present(requests?.elicitation?.create) : present(requests?.sampling?.createMessage);
  if (!capable && options.requireTask) {
    const leaf = base === 'elicitation' ? 'elicitation.create' : 'sampling.createMessage';
    throw new CapabilityMissingError(`Client did not declare tasks.requests.${leaf}`);
  }
  return capable;
}

/** Sends `elicitation/create` as a task where the client allows it, and returns its handle. */
export async function elicitAsTask(
  server: TaskRequestingServer,
  params: ElicitAsTaskParams,
  options: ClientTaskRequestOptions = {},
): Promise<TaskHandle<ElicitResult>> {
  const { requireTask: _r, ...rest } = options;
  const asTask = decide(server, 'elicitation', options);
  return requestAsTask(server, { method: 'elicitation/create', params }, ElicitResultSchema, { ...rest, asTask });
}

/** Sends `sampling/createMessage` as a task where the client allows it, and returns its handle. */
export async function createMessageAsTask(
  server: TaskRequestingServer,
  params: CreateMessageAsTaskParams,
  options: ClientTaskRequestOptions = {},
): Promise<TaskHandle<CreateMessageResult | CreateMessageResultWithTools>> {
  const { requireTask: _r, ...rest } = options;
  const asTask = decide(server, 'sampling', options);
  const schema = params.tools || params.toolChoice ? CreateMessageResultWithToolsSchema : CreateMessageResultSchema;
  return requestAsTask(server, { method: 'sampling/createMessage', params }, schema as typeof CreateMessageResultSchema, {
    ...rest,
    asTask,
  });
}
