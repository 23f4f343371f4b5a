/** Tool arguments checked against the tool's JSON Schema `inputSchema` (the SDK's Ajv validator). */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { InvalidToolArgumentsError } from './errors.js';

/** Checks and converts a tool's arguments; throws to reject them (the client gets -32602). */
export type ArgumentsValidator<Args = Record<string, unknown>> = (args: unknown) => Args;

let ajv: AjvJsonSchemaValidator | undefined;

/** A validator for the tool's `inputSchema`; a mismatch throws {@link InvalidToolArgumentsError}. */
export function jsonSchemaValidator<Args>(tool: Tool): ArgumentsValidator<Args> {
  ajv ??= new AjvJsonSchemaValidator();
  const check = ajv.getValidator<Args>(tool.inputSchema as Parameters<AjvJsonSchemaValidator['getValidator']>[0]);
  return (args) => {
    const result = check(args);
    if (!result.valid) throw new InvalidToolArgumentsError(tool.name, result.errorMessage);
    return result.data;
  };
}
