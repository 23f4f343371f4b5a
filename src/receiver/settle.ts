/**
 * What a 2025-11-25 task stores when its work returns a result: `completed`, except that a
 * `tools/call` result with `isError: true` makes the task `failed` (R80) — still returned as a
 * success by `tasks/result` — and a malformed `tools/call` result fails it with -32602.
 */
import { CallToolResultSchema, ErrorCode, type Result } from '@modelcontextprotocol/sdk/types.js';
import type { FinishTaskInput } from '../core/taskStore.js';

/** The stored outcome of a task of `method` whose work returned `result`. */
export function settleResult(method: string, result: Result): FinishTaskInput {
  if (method !== 'tools/call') return { status: 'completed', outcome: { kind: 'result', result } };
  const parsed = CallToolResultSchema.safeParse(result);
  if (!parsed.success) {
    const message = `Invalid tools/call result: ${parsed.error.message}`;
    return { status: 'failed', outcome: { kind: 'error', error: { code: ErrorCode.InvalidParams, message } }, statusMessage: message };
  }
  const callResult = parsed.data;
  if (callResult.isError === true) {
    const text = callResult.content.find((block) => block.type === 'text');
    const statusMessage = `Tool returned an error${text && text.type === 'text' ? `: ${text.text}` : ''}`;
    return { status: 'failed', outcome: { kind: 'result', result: callResult }, statusMessage };
  }
  return { status: 'completed', outcome: { kind: 'result', result: callResult } };
}
