/**
 * `callToolAsTask`: calls a tool as a task where the server and the tool allow it, and returns a
 * {@link ToolTask} handle either way.
 *
 * Negotiation (decided before anything is sent):
 * - `params.task` is sent only when the server declared `tasks.requests.tools.call` and the tool's
 *   `execution.taskSupport` is `optional` or `required` (R3, R4, R8, R9, R11, R12);
 * - a `required` tool on a server without that capability fails with
 *   `CapabilityMissingError` (-32600) before sending;
 * - otherwise the tool is called plainly and the handle has `returnedImmediately: true`.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, ListToolsResultSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { CapabilityMissingError } from '../core/errors.js';
import { requestLinked } from '../requestor/peer.js';
import { requestAsTask, type RequestAsTaskOptions } from '../requestor/requestAsTask.js';
import type { TaskHandle, TaskHandleOptions } from '../requestor/taskHandle.js';

/** A tool's task support (R7: absent means `forbidden`). */
export type ToolTaskSupport = 'forbidden' | 'optional' | 'required';

/** The handle on a tool call made with {@link callToolAsTask}. */
export type ToolTask = TaskHandle<CallToolResult>;

/** Options of {@link callToolAsTask}. */
export interface CallToolAsTaskOptions extends TaskHandleOptions {
  /** Requested task lifetime in ms (`params.task.ttl`); the server may change it (R40). */
  ttl?: number;
  /**
   * The tool's `execution.taskSupport`, if the caller knows it. Otherwise it is read from
   * `tools/list` (all pages, cached per client and listed again when a tool is not found).
   */
  taskSupport?: ToolTaskSupport;
  /** `_meta` for the `tools/call` params. */
  meta?: Record<string, unknown>;
  /** Timeout in ms of the `tools/call` request itself (answered at once for a task). */
  timeout?: number;
  /** Gives up on the `tools/call` request (see {@link RequestAsTaskOptions.signal}). */
  signal?: AbortSignal;
  /** Progress callback; progress goes on for the task's whole life (R61). */
  onprogress?: RequestAsTaskOptions['onprogress'];
}

const toolSupportCache = new WeakMap<Client, Map<string, ToolTaskSupport>>();

function supportOf(tool: Tool): ToolTaskSupport {
  return tool.execution?.taskSupport ?? 'forbidden';
}

async function listToolSupport(client: Client, signal: AbortSignal | undefined): Promise<Map<string, ToolTaskSupport>> {
  const support = new Map<string, ToolTaskSupport>();
  let cursor: string | undefined;
  do {
    const request = cursor === undefined ? { method: 'tools/list' } : { method: 'tools/list', params: { cursor } };
    const page = await requestLinked(client, request, ListToolsResultSchema, { signal });
    for (const tool of page.tools) support.set(tool.name, supportOf(tool));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  toolSupportCache.set(client, support);
  return support;
}

/** The tool's task support from `tools/list` (cached per client; an unknown tool is `forbidden`). */
export async function toolTaskSupport(client: Client, name: string, signal?: AbortSignal): Promise<ToolTaskSupport> {
  const cached = toolSupportCache.get(client)?.get(name);
  if (cached !== undefined) return cached;
  return (await listToolSupport(client, signal)).get(name) ?? 'forbidden';
}

/** Whether the server declared `tasks.requests.tools.call` (any present value counts, G7). */
export function serverSupportsToolTasks(client: Client): boolean {
  const call = client.getServerCapabilities()?.tasks?.requests?.tools?.call;
  return call !== undefined && call !== null && (call as unknown) !== false;
}

/**
 * Calls tool `name` as a task when the server and the tool allow it, and returns its handle.
 * `handle.result()` gives the `CallToolResult` (also for `failed` tasks with an `isError` result)
 * or throws the very JSON-RPC error the server returned.
 */
export async function callToolAsTask(
  client: Client,
  name: string,
  args?: Record<string, unknown>,
  options: CallToolAsTaskOptions = {},
): Promise<ToolTask> {
  const support = options.taskSupport ?? (await toolTaskSupport(client, name, options.signal));
  const capable = serverSupportsToolTasks(client);
  if (support === 'required' && !capable) {
    throw new CapabilityMissingError(
      `Tool "${name}" requires task execution, but the server did not declare tasks.requests.tools.call`,
    );
  }
  const params: Record<string, unknown> = { name };
  if (args !== undefined) params.arguments = args;
  if (options.meta !== undefined) params._meta = options.meta;
  const { taskSupport: _support, meta: _meta, ...rest } = options;
  return requestAsTask(client, { method: 'tools/call', params }, CallToolResultSchema, {
    ...rest,
    asTask: capable && support !== 'forbidden',
  });
}
