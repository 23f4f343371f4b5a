/**
 * What a task created under the extension stores when its tool returns: `completed` with the
 * result — also for `isError: true`, since `failed` is only for JSON-RPC errors (SEP-2663) — and a
 * malformed `CallToolResult` fails the task with -32602.
 */
import { CallToolResultSchema, ErrorCode, type Result } from '@modelcontextprotocol/sdk/types.js';
import type { FinishTaskInput } from '../core/taskStore.js';
import { zodErrorText } from '../core/zodErrorText.js';

/** The stored outcome of an extension task whose tool returned `result`. */
export function settleToolResult(result: Result): FinishTaskInput {
  const parsed = CallToolResultSchema.safeParse(result);
  if (!parsed.success) {
    const message = `Invalid tools/call result: ${zodErrorText(parsed.error)}`;
    return { status: 'failed', outcome: { kind: 'error', error: { code: ErrorCode.InvalidParams, message } }, statusMessage: message };
  }
  return { status: 'completed', outcome: { kind: 'result', result: parsed.data } };
}
