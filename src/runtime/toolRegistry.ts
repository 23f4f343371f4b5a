/**
 * The tools of one binding: registration, the list, and a call checked before the tool runs: the
 * tool must exist and its arguments must match its input schema (-32602 otherwise). Each wire
 * revision decides from the tool's `execution.taskSupport` whether the call runs as a task.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { checkPollInterval } from './pollInterval.js';
import { InvalidToolArgumentsError, UnknownToolError } from './errors.js';
import { jsonSchemaValidator, type ArgumentsValidator } from './jsonSchemaArguments.js';
import type { ElicitRequestedSchema, ToolContext } from './toolContext.js';

/** A tool's `execution.taskSupport`; absent means `'forbidden'` (R7). */
export type TaskSupportMode = 'forbidden' | 'optional' | 'required';

/** A handler: the same code runs as a task or directly, under either wire revision; `ctx` tells which. */
export type ToolHandler<Args = Record<string, unknown>, Ctx extends ToolContext<any> = ToolContext> = (args: Args, ctx: Ctx) => Promise<CallToolResult>;

/** One form elicitation a tool asks before it runs (see {@link RegisterToolOptions.inputs}). */
export interface ToolInputRequest {
  message: string;
  requestedSchema: ElicitRequestedSchema;
}

/** Options of `registerTool`. */
export interface RegisterToolOptions<Args = Record<string, unknown>> {
  /** `pollInterval` (ms, integer) suggested for this tool's tasks. Default: the server's. */
  pollInterval?: number;
  /** Argument validation. Default: the tool's `inputSchema` (JSON Schema, via Ajv). */
  validate?: ArgumentsValidator<Args>;
  /**
   * Input the tool needs before it runs, asked with form elicitation, by key: under 2026-07-28 as
   * multi-round-trip rounds of the `tools/call` itself, before any task exists (the client answers by
   * calling again with `inputResponses`); under 2025-11-25 as `elicitation/create` requests on the
   * call's own stream before the task is created. The handler finds the answers in `ctx.inputs`.
   * Needs the client's `elicitation` capability.
   */
  inputs?: Readonly<Record<string, ToolInputRequest>>;
}

/** What the registry keeps of a tool. */
export interface RegisteredTool<Ctx extends ToolContext<any>> {
  readonly tool: Tool;
  readonly taskSupport: TaskSupportMode;
  /** The tool's `pollInterval`, if it has one. */
  readonly pollInterval: number | undefined;
  readonly inputs: Readonly<Record<string, ToolInputRequest>>;
  /** Whether `inputs` has any entry. */
  readonly hasInputs: boolean;
  readonly handler: ToolHandler<any, Ctx>;
  readonly validate: ArgumentsValidator<any>;
}

/** A `tools/call` of a known tool with checked arguments, ready to run. */
export interface ToolCall<Ctx extends ToolContext<any>> {
  readonly entry: RegisteredTool<Ctx>;
  /** Runs the tool's handler on the checked arguments. */
  run(ctx: Ctx): Promise<CallToolResult>;
}

/** The registered tools of one binding; `Ctx` is the context its handlers receive. */
export class ToolRegistry<Ctx extends ToolContext<any>> {
  readonly #tools = new Map<string, RegisteredTool<Ctx>>();

  /** Adds a tool; its name must be new. */
  register<Args>(tool: Tool, handler: ToolHandler<Args, Ctx>, options: RegisterToolOptions<Args> = {}): void {
    if (this.#tools.has(tool.name)) throw new Error(`Tool ${tool.name} is already registered`);
    const inputs = { ...options.inputs };
    for (const [key, request] of Object.entries(inputs)) {
      if (key.length === 0 || typeof request?.message !== 'string' || typeof request.requestedSchema !== 'object') {
        throw new TypeError(`inputs.${key} of tool ${tool.name} must be { message, requestedSchema } under a non-empty key`);
      }
    }
    this.#tools.set(tool.name, {
      tool,
      taskSupport: tool.execution?.taskSupport ?? 'forbidden',
      pollInterval: checkPollInterval(options.pollInterval),
      inputs,
      hasInputs: Object.keys(inputs).length > 0,
      handler,
      validate: options.validate ?? jsonSchemaValidator<Args>(tool),
    });
  }

  /** The tools as `tools/list` lists them. */
  list(): Tool[] {
    return [...this.#tools.values()].map((entry) => entry.tool);
  }

  /** Checks a call: throws -32602 for an unknown tool ({@link UnknownToolError}) or bad arguments ({@link InvalidToolArgumentsError}). */
  resolve(name: string, args: Record<string, unknown> | undefined): ToolCall<Ctx> {
    const entry = this.#tools.get(name);
    if (!entry) throw new UnknownToolError(name);
    const checked: unknown = entry.validate(args ?? {});
    return { entry, run: (ctx) => entry.handler(checked, ctx) };
  }
}

