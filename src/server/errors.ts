/** Errors of the server layer (each carries its JSON-RPC code, like the core's typed errors). */
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { TaskError } from '../core/errors.js';

/** `execution.taskSupport` values as the spec defines them. */
export type TaskSupportValue = 'forbidden' | 'optional' | 'required';

/** A `tools/call` whose use of `task` does not match the tool's `taskSupport` (R10, R13). Code -32601. */
export class ToolNegotiationError extends TaskError {
  constructor(message: string, data: { tool: string; taskSupport: TaskSupportValue }) {
    super(ErrorCode.MethodNotFound, message, data);
  }
}

export { UnknownToolError, InvalidToolArgumentsError } from '../runtime/errors.js';
