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

/** A `tools/call` for a tool this server does not have. Code -32602. */
export class UnknownToolError extends TaskError {
  constructor(name: string) {
    super(ErrorCode.InvalidParams, `Unknown tool: ${name}`, { tool: name });
  }
}

/** A `tools/call` whose arguments do not match the tool's input schema. Code -32602. */
export class InvalidToolArgumentsError extends TaskError {
  constructor(name: string, detail: string) {
    super(ErrorCode.InvalidParams, `Invalid arguments for tool ${name}: ${detail}`, { tool: name });
  }
}
