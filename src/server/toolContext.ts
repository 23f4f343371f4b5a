/** The `ToolContext` of the 2025-11-25 server binding: the SDK's `extra`, and the task's `ServerTaskContext`. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolContext } from '../runtime/toolContext.js';
import type { ServerRequestExtra } from './scope.js';
import type { ServerTaskContext } from './serverTaskContext.js';

/** What a tool handler of this binding receives (a `ToolContext` with the SDK's `extra`). */
export interface ServerToolContext extends ToolContext<ServerRequestExtra> {
  /** The task this call runs as, when it was called with `task`. */
  readonly task: ServerTaskContext | undefined;
}

/** A tool's handler: the same code runs as a task or directly, `ctx` tells which. */
export type ToolHandler<Args = Record<string, unknown>> = (args: Args, ctx: ServerToolContext) => Promise<CallToolResult>;
