/** Fixture tools described by a zod schema: the `Tool` definition and its argument check (-32602). */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { zodErrorText } from '../src/core/zodErrorText.js';
import { InvalidToolArgumentsError } from '../src/runtime/errors.js';
import type { ArgumentsValidator } from '../src/runtime/jsonSchemaArguments.js';
import type { RegisterToolOptions, TaskSupportMode, ToolHandler } from '../src/runtime/toolRegistry.js';
import type { ToolContext } from '../src/runtime/toolContext.js';

/** Where fixtures are registered: the 2025-11-25 binding or the 2026-07-28 extension. */
export interface ToolRegistrar {
  registerTool<Args>(tool: Tool, handler: ToolHandler<Args, ToolContext<any>>, options?: RegisterToolOptions<Args>): void;
}

/** A fixture tool: what `tools/list` shows, its arguments, and what it does (in either revision). */
export interface ZodTool<S extends z.ZodType> {
  name: string;
  taskSupport: TaskSupportMode;
  description: string;
  args: S;
  handler: ToolHandler<z.output<S>, ToolContext<any>>;
  options?: Omit<RegisterToolOptions, 'validate'>;
}

/** The MCP `Tool` definition of a fixture. */
export function toolOf(f: ZodTool<z.ZodType>, describe: (description: string) => string = (d) => d): Tool {
  const { $schema: _ignored, ...inputSchema } = z.toJSONSchema(f.args, { io: 'input' }) as Record<string, unknown>;
  return {
    name: f.name,
    description: describe(f.description),
    inputSchema: inputSchema as Tool['inputSchema'],
    execution: { taskSupport: f.taskSupport },
  };
}

/** The argument check of a fixture: its zod schema, bad arguments -32602. */
function validatorOf<S extends z.ZodType>(f: ZodTool<S>): ArgumentsValidator<z.output<S>> {
  return (args) => {
    const parsed = f.args.safeParse(args);
    if (!parsed.success) throw new InvalidToolArgumentsError(f.name, zodErrorText(parsed.error));
    return parsed.data;
  };
}

/** Registers fixtures on `registrar`. */
export function registerZodTools(registrar: ToolRegistrar, tools: readonly ZodTool<z.ZodType>[], describe?: (description: string) => string): void {
  for (const f of tools) registrar.registerTool(toolOf(f, describe), f.handler, { ...f.options, validate: validatorOf(f) });
}
