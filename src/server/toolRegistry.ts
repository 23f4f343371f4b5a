/**
 * The tools of one server: registration, `tools/list`, and how a `tools/call` is to run — decided
 * before the tool runs (R10–R13, F1): the tool's `execution.taskSupport` against `params.task`, and
 * the arguments against its input schema (-32602 when they do not match).
 */
import type { CallToolRequest, CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { UnknownToolError } from './errors.js';
import { jsonSchemaValidator, type ArgumentsValidator } from './jsonSchemaArguments.js';
import { negotiate, type CallMode } from './negotiation.js';
import { checkPollInterval } from './options.js';
import type { ServerToolContext, ToolHandler } from './serverTaskContext.js';

/** Options of `registerTool`. */
export interface RegisterToolOptions<Args = Record<string, unknown>> {
  /** `pollInterval` (ms, integer) suggested for this tool's tasks. Default: the server's. */
  pollInterval?: number;
  /** Argument validation. Default: the tool's `inputSchema` (JSON Schema, via Ajv). */
  validate?: ArgumentsValidator<Args>;
}

interface RegisteredTool {
  readonly tool: Tool;
  readonly handler: ToolHandler<any>;
  readonly validate: ArgumentsValidator<any>;
  readonly pollInterval: number | undefined;
}

/** A `tools/call` that passed negotiation and validation, ready to run. */
export interface ResolvedToolCall {
  readonly mode: CallMode;
  /** The tool's `pollInterval`, if it has one. */
  readonly pollInterval: number | undefined;
  /** Runs the tool's handler on the checked arguments. */
  run(ctx: ServerToolContext): Promise<CallToolResult>;
}

/** The registered tools of one server. */
export class ToolRegistry {
  readonly #tools = new Map<string, RegisteredTool>();

  /** Adds a tool; its name must be new. */
  register<Args>(tool: Tool, handler: ToolHandler<Args>, options: RegisterToolOptions<Args> = {}): void {
    if (this.#tools.has(tool.name)) throw new Error(`Tool ${tool.name} is already registered`);
    const pollInterval = checkPollInterval(options.pollInterval);
    const validate = options.validate ?? jsonSchemaValidator<Args>(tool);
    this.#tools.set(tool.name, { tool, handler, validate, pollInterval });
  }

  /** The tools as `tools/list` lists them. */
  list(): Tool[] {
    return [...this.#tools.values()].map((entry) => entry.tool);
  }

  /** Negotiates and validates a call; throws -32602 (unknown tool, bad arguments) or -32601 (negotiation). */
  resolve(request: CallToolRequest): ResolvedToolCall {
    const entry = this.#tools.get(request.params.name);
    if (!entry) throw new UnknownToolError(request.params.name);
    const mode = negotiate(request, entry.tool.execution?.taskSupport);
    const args: unknown = entry.validate(request.params.arguments ?? {});
    return { mode, pollInterval: entry.pollInterval, run: (ctx) => entry.handler(args, ctx) };
  }
}
