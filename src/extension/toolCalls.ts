/**
 * `tools/call` under the extension. The server decides, per request, whether the call runs as a
 * task, from the tool's `taskSupport` and whether *this request* declared the extension:
 * `forbidden` runs directly; `optional` runs as a task when declared, directly otherwise;
 * `required` runs as a task when declared and fails with -32021 otherwise. A legacy `params.task`
 * is ignored. A tool's `inputs` are asked first, as multi-round-trip rounds (SEP-2322) before any
 * task exists: an `input_required` result until every key is answered in `inputResponses`.
 */
import { ElicitResultSchema, type CallToolResult, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { ServerContext } from '@modelcontextprotocol/server';
import type { TaskScope } from '../core/taskStore.js';
import { parseParams } from '../core/zodErrorText.js';
import type { TaskEvent } from '../runtime/audit.js';
import { TaskContext } from '../runtime/taskContext.js';
import type { TaskSupport } from '../runtime/taskSupport.js';
import type { ToolContext } from '../runtime/toolContext.js';
import type { ToolCall, ToolInputRequest, ToolRegistry } from '../runtime/toolRegistry.js';
import { ExtensionDirectContext } from './directContext.js';
import { MissingTasksExtensionError } from './errors.js';
import { extensionContextHost } from './contextHost.js';
import { declaresTasks, requestCapabilities } from './requestInfo.js';
import { settleToolResult } from './settle.js';
import { wireTask, type WireTask } from './wire.js';

/** What a tool handler of the extension receives. */
export type ExtensionToolContext = ToolContext<ServerContext>;

/** A `tools/call` answer under the extension. */
export type ExtensionCallResult =
  | CallToolResult
  | (WireTask & { resultType: 'task' })
  | { resultType: 'input_required'; inputRequests: Record<string, { method: 'elicitation/create'; params: Record<string, unknown> }> };

/** What {@link callTool} works with. */
export interface ToolCallParts {
  readonly support: TaskSupport;
  readonly tools: ToolRegistry<ExtensionToolContext>;
  scopeOf(ctx: ServerContext): TaskScope;
  readonly ttl: number | null | undefined;
  readonly pollInterval: number | undefined;
  report(event: TaskEvent): void;
}

/** Serves one `tools/call` (params as the SDK parsed them). */
export async function callTool(parts: ToolCallParts, params: { name: string; arguments?: Record<string, unknown> | undefined }, ctx: ServerContext): Promise<ExtensionCallResult> {
  const call = parts.tools.resolve(params.name, params.arguments);
  const asTask = runsAsTask(call, ctx);
  const inputs = gatherInputs(call.entry.inputs, ctx.mcpReq.inputResponses);
  if ('missing' in inputs) return { resultType: 'input_required', inputRequests: inputs.missing };
  if (!asTask) return call.run(new ExtensionDirectContext(ctx, params.name, inputs.answers));
  const scope = parts.scopeOf(ctx);
  const host = extensionContextHost(parts.support, requestCapabilities(ctx), parts.report);
  const task = await parts.support.startTask(
    {
      request: { method: 'tools/call', params: { name: params.name, ...(params.arguments === undefined ? {} : { arguments: params.arguments }) } },
      requestId: ctx.mcpReq.id,
      scope,
      ttl: parts.ttl,
      pollInterval: call.entry.pollInterval ?? parts.pollInterval,
      work: async (created, signal) => {
        const taskCtx = new TaskContext<ServerContext>({ task: created, scope, signal, extra: ctx, inputs: inputs.answers, host });
        try {
          return await call.run(taskCtx);
        } finally {
          taskCtx.end();
        }
      },
      settle: settleToolResult,
    },
    parts.report,
  );
  return { resultType: 'task', ...wireTask(task) };
}

/** The server's decision for this request (throws -32021 for a `required` tool the request cannot follow). */
function runsAsTask(call: ToolCall<ExtensionToolContext>, ctx: ServerContext): boolean {
  const { taskSupport, tool } = call.entry;
  if (taskSupport === 'forbidden') return false;
  const declared = declaresTasks(ctx);
  if (taskSupport === 'required' && !declared) throw new MissingTasksExtensionError(`tool ${tool.name} (it only runs as a task)`);
  return declared;
}

type Gathered =
  | { answers: Record<string, ElicitResult> }
  | { missing: Record<string, { method: 'elicitation/create'; params: Record<string, unknown> }> };

/** The answers to the tool's inputs, or the inputs still to ask; a malformed answer is -32602. */
function gatherInputs(inputs: Readonly<Record<string, ToolInputRequest>>, responses: Record<string, unknown> | undefined): Gathered {
  const answers: Record<string, ElicitResult> = {};
  const missing: Record<string, { method: 'elicitation/create'; params: Record<string, unknown> }> = {};
  for (const [key, { message, requestedSchema }] of Object.entries(inputs)) {
    const response = responses?.[key];
    if (response === undefined) {
      missing[key] = { method: 'elicitation/create', params: { mode: 'form', message, requestedSchema } };
      continue;
    }
    answers[key] = parseParams(ElicitResultSchema, 'tools/call', response, `inputResponses.${key}: `);
  }
  return Object.keys(missing).length > 0 ? { missing } : { answers };
}
