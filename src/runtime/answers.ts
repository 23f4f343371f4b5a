/** The SDK schemas a requestor's answers to a tool's requests must satisfy. */
import {
  CreateMessageResultSchema,
  CreateMessageResultWithToolsSchema,
  ElicitResultSchema,
  ErrorCode,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { zodErrorText } from '../core/zodErrorText.js';
import type { CreateMessageParams } from './toolContext.js';

/** The schema a sampling answer must satisfy (with tools when the request offered tools). */
export function createMessageResultSchema(params: Pick<CreateMessageParams, 'tools'>) {
  return params.tools ? CreateMessageResultWithToolsSchema : CreateMessageResultSchema;
}

/** Checks the answer to a tool's `elicitation/create` or `sampling/createMessage`; a malformed one is -32602. */
export function parseAnswer(method: string, params: Record<string, unknown>, result: Record<string, unknown>): Record<string, unknown> {
  const schema = method === 'sampling/createMessage' ? createMessageResultSchema(params as Pick<CreateMessageParams, 'tools'>) : ElicitResultSchema;
  const parsed = schema.safeParse(result);
  if (!parsed.success) throw new McpError(ErrorCode.InvalidParams, `Invalid result for ${method}: ${zodErrorText(parsed.error)}`);
  return parsed.data;
}
