/** The reading R3 and R8 share: task-augmented tool calls to a server that declared no task support. */
import type { ClientCheckContext } from '../context.js';
import { requireConnected, toolCalls } from './common.js';

/** Records a violation for every `tools/call` that carried `params.task`. */
export function noTaskWithoutCapability(ctx: ClientCheckContext): void {
  requireConnected(ctx);
  ctx.expect("no tools/call carries params.task: the server declares no tasks capability (its tool's taskSupport 'required' notwithstanding)");
  const calls = toolCalls(ctx);
  if (calls.some((c) => c.task !== undefined)) ctx.violation('the client sent params.task to a server that declared no tasks.requests.tools.call');
}
