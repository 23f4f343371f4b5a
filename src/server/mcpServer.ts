/**
 * Tasks on the SDK's high-level `McpServer`: a task-aware tool registration whose negotiation is
 * decided before the tool runs (R10–R13, F1), with a per-tool `pollInterval` and a server-wide
 * default like FastMCP's `tasks: true`.
 *
 * Constraint (public SDK API only): `McpServer`'s own `tools/call` handler turns every error into
 * an `isError` result and runs `forbidden` tools called with `task` (F1), and it cannot be wrapped
 * without private members. So the task-enabled `McpServer` serves `tools/list` and `tools/call`
 * with this library's handlers, on `mcpServer.server`: register **all** its tools with
 * {@link McpServerTaskBinding.registerTool} / {@link registerTaskTool} (plain tools with `task: false`).
 * Mixing with `mcpServer.registerTool()` fails with a clear error either way round; resources,
 * prompts, completions and logging stay on `McpServer`.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, Tool, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { InvalidToolArgumentsError } from './errors.js';
import type { TaskSupportMode } from './negotiation.js';
import type { EnableTasksOptions } from './options.js';
import { zodErrorText } from '../core/zodErrorText.js';
import { enableTasks } from './enableTasks.js';
import type { ServerTaskBinding } from './serverTaskBinding.js';
import type { ServerToolContext } from './serverTaskContext.js';

/** A tool's task mode: a `taskSupport` value, or `true` (= `'optional'`) / `false` (= `'forbidden'`). */
export type TaskOption = TaskSupportMode | boolean;

/** Options of {@link enableMcpTasks}. */
export interface EnableMcpTasksOptions extends EnableTasksOptions {
  /** Task mode of tools registered without `task`. Default `false` (`'forbidden'`); `true` = `'optional'`. */
  tasks?: TaskOption;
}

/** The configuration of a task-aware `McpServer` tool (like `McpServer.registerTool`'s, zod 4). */
export interface TaskToolConfig<Shape extends z.ZodRawShape = z.ZodRawShape> {
  title?: string;
  description?: string;
  /** The arguments, as a zod raw shape or object schema. Default: no arguments. */
  inputSchema?: Shape | z.ZodObject<Shape>;
  /** Listed as the tool's `outputSchema` (not enforced). */
  outputSchema?: z.ZodRawShape | z.ZodObject;
  annotations?: ToolAnnotations;
  _meta?: Record<string, unknown>;
  /** How the tool runs as a task; default: the server-wide `tasks` option. */
  task?: TaskOption;
  /** `pollInterval` (ms, integer) suggested for this tool's tasks. */
  pollInterval?: number;
}

/** A task-aware `McpServer` tool handler. */
export type TaskToolHandler<Shape extends z.ZodRawShape> = (
  args: z.output<z.ZodObject<Shape>>,
  ctx: ServerToolContext,
) => CallToolResult | Promise<CallToolResult>;

const registries = new WeakMap<McpServer, McpServerTaskBinding>();

/** `taskSupport` for a {@link TaskOption}. */
export function taskSupportOf(option: TaskOption): TaskSupportMode {
  if (option === true) return 'optional';
  if (option === false) return 'forbidden';
  return option;
}

function objectSchema(schema: z.ZodRawShape | z.ZodObject | undefined): z.ZodObject {
  if (schema === undefined) return z.object({});
  return schema instanceof z.ZodObject ? schema : z.object(schema);
}

function jsonSchemaOf(schema: z.ZodObject, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io }) as Record<string, unknown>;
  return json;
}

/** Tasks on one `McpServer`; made by {@link enableMcpTasks}. */
export class McpServerTaskBinding {
  readonly mcpServer: McpServer;
  /** The low-level side (`tasks/*` handlers, `runTask`, the `TaskSupport`). */
  readonly serverTasks: ServerTaskBinding;
  readonly defaultTask: TaskOption;

  /** Use {@link enableMcpTasks}. */
  constructor(mcpServer: McpServer, serverTasks: ServerTaskBinding, defaultTask: TaskOption) {
    this.mcpServer = mcpServer;
    this.serverTasks = serverTasks;
    this.defaultTask = defaultTask;
  }

  /** Registers a tool whose `task` mode is negotiated before it runs; the handler gets a {@link ToolContext}. */
  registerTool<Shape extends z.ZodRawShape>(name: string, config: TaskToolConfig<Shape>, handler: TaskToolHandler<Shape>): Tool {
    const args = objectSchema(config.inputSchema as z.ZodRawShape | z.ZodObject | undefined);
    const tool: Tool = {
      name,
      ...(config.title === undefined ? {} : { title: config.title }),
      ...(config.description === undefined ? {} : { description: config.description }),
      inputSchema: jsonSchemaOf(args, 'input') as Tool['inputSchema'],
      ...(config.outputSchema === undefined
        ? {}
        : { outputSchema: jsonSchemaOf(objectSchema(config.outputSchema), 'output') as Tool['outputSchema'] }),
      ...(config.annotations === undefined ? {} : { annotations: config.annotations }),
      ...(config._meta === undefined ? {} : { _meta: config._meta }),
      execution: { taskSupport: taskSupportOf(config.task ?? this.defaultTask) },
    };
    this.serverTasks.registerTool(tool, async (parsed, ctx) => handler(parsed as z.output<z.ZodObject<Shape>>, ctx), {
      ...(config.pollInterval === undefined ? {} : { pollInterval: config.pollInterval }),
      validate: (input) => {
        const parsed = args.safeParse(input);
        if (!parsed.success) throw new InvalidToolArgumentsError(name, zodErrorText(parsed.error));
        return parsed.data as Record<string, unknown>;
      },
    });
    return tool;
  }
}

/**
 * Enables tasks on an `McpServer` (before `connect()`, before any tool is registered): the
 * `tasks/*` handlers and capability as {@link enableTasks}, and this library's `tools/list` /
 * `tools/call`. Throws if tools were already registered with `mcpServer.registerTool()`, if called
 * twice, or after `connect()`.
 */
export function enableMcpTasks(mcpServer: McpServer, options: EnableMcpTasksOptions = {}): McpServerTaskBinding {
  if (registries.has(mcpServer)) throw new Error('Tasks are already enabled on this McpServer');
  try {
    mcpServer.server.assertCanSetRequestHandler('tools/call');
  } catch {
    throw new Error(
      'enableMcpTasks() must come before any McpServer.registerTool()/tool() call (and without capabilities.tools in the ' +
        'McpServer options): task-enabled McpServers register all their tools with registerTaskTool()',
    );
  }
  const { tasks: defaultTask = false, ...rest } = options;
  const serverTasks = enableTasks(mcpServer.server, rest);
  serverTasks.serveTools();
  refusePlainTools(mcpServer);
  const registry = new McpServerTaskBinding(mcpServer, serverTasks, defaultTask);
  registries.set(mcpServer, registry);
  return registry;
}

/**
 * From now on `mcpServer.registerTool()` / `mcpServer.tool()` fail with an error that says what to
 * do, instead of the SDK's "A request handler for tools/list already exists" (the handlers are ours).
 */
function refusePlainTools(mcpServer: McpServer): void {
  const refuse = (method: string) => (): never => {
    throw new Error(
      `McpServer.${method}() cannot be used after enableMcpTasks(): this McpServer's tools are served by mcp-tasks. ` +
        'Register every tool with registerTaskTool(mcpServer, name, config, handler) (plain tools with task: false).',
    );
  };
  mcpServer.registerTool = refuse('registerTool') as McpServer['registerTool'];
  mcpServer.tool = refuse('tool') as McpServer['tool'];
}

/** The {@link McpServerTaskBinding} of an `McpServer`, if tasks were enabled on it. */
export function mcpServerTasksOf(mcpServer: McpServer): McpServerTaskBinding | undefined {
  return registries.get(mcpServer);
}

/**
 * Registers a task-aware tool on an `McpServer`, enabling tasks with default options first if
 * {@link enableMcpTasks} was not called (which must then happen before `connect()`).
 */
export function registerTaskTool<Shape extends z.ZodRawShape>(
  mcpServer: McpServer,
  name: string,
  config: TaskToolConfig<Shape>,
  handler: TaskToolHandler<Shape>,
): Tool {
  const registry = registries.get(mcpServer) ?? enableMcpTasks(mcpServer);
  return registry.registerTool(name, config, handler);
}
