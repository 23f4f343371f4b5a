/**
 * Tool-level negotiation (R10–R13, R20), decided before the tool runs. Mismatches are JSON-RPC
 * errors with code -32601, never an `isError` result (F1).
 */
import type { CallToolRequest } from '@modelcontextprotocol/sdk/types.js';
import type { TaskSupportMode } from '../runtime/toolRegistry.js';
import { ToolNegotiationError } from './errors.js';

export type { TaskSupportMode };

/** How a `tools/call` is to run: as a task (answer with `CreateTaskResult`) or directly. */
export type CallMode = 'task' | 'direct';

/**
 * Decides how a `tools/call` runs on a server that declared `tasks.requests.tools.call`, or throws
 * {@link ToolNegotiationError} (-32601). (A server that did not declare it ignores `params.task`,
 * R20: see `ignoreTaskAugmentation`.)
 * - `required` without `task` → -32601 (R13);
 * - `task` for a `forbidden` or unmarked tool → -32601 (R10);
 * - `optional` → either way (R11).
 */
export function negotiate(request: Pick<CallToolRequest, 'params'>, mode: TaskSupportMode | undefined): CallMode {
  const name = request.params.name;
  const wantsTask = request.params.task !== undefined && request.params.task !== null;
  const support = mode ?? 'forbidden';
  if (support === 'required' && !wantsTask) {
    throw new ToolNegotiationError(
      `Tool ${name} requires task-augmented invocation (execution.taskSupport is 'required'): call it with params.task`,
      { tool: name, taskSupport: support },
    );
  }
  if (support === 'forbidden' && wantsTask) {
    throw new ToolNegotiationError(
      `Tool ${name} does not support task-augmented invocation (execution.taskSupport is '${mode ?? 'absent'}'): call it without params.task`,
      { tool: name, taskSupport: support },
    );
  }
  return wantsTask ? 'task' : 'direct';
}
