/** Errors of the 2026-07-28 tasks extension binding (each carries its JSON-RPC code). */
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { TaskError } from '../core/errors.js';
import { MISSING_CLIENT_CAPABILITY, TASKS_EXTENSION_ID } from './wire.js';

/**
 * The request did not declare the tasks extension but needs it: a `tools/call` of a tool that only
 * runs as a task, `tasks/get|update|cancel`, or a request to the client made without a task. Code -32021.
 */
export class MissingTasksExtensionError extends TaskError {
  constructor(what: string) {
    super(MISSING_CLIENT_CAPABILITY, `Missing required client capability: ${what} needs the ${TASKS_EXTENSION_ID} extension, declared in this request's _meta`, {
      requiredCapabilities: { extensions: { [TASKS_EXTENSION_ID]: {} } },
    });
  }
}

/** A tool that runs without a task asked its client for input mid-call, which 2026-07-28 cannot carry. Code -32603. */
export class NoInputWithoutTaskError extends TaskError {
  constructor(tool: string) {
    super(
      ErrorCode.InternalError,
      `Tool ${tool} runs without a task and asked the client for input: under 2026-07-28 only a task can (taskSupport 'optional' or 'required'), or declare the input as the tool's inputs`,
      { tool },
    );
  }
}
