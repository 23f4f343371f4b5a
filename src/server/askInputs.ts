/**
 * A tool's `inputs` under 2025-11-25: asked as `elicitation/create` requests related to the
 * `tools/call` itself (on its own stream), one after the other, before the call runs or its task is
 * created.
 */
import { ElicitResultSchema, type ClientCapabilities, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { assertClientCapability } from '../runtime/capabilities.js';
import type { ToolInputRequest } from '../runtime/toolRegistry.js';
import type { ServerRequestExtra } from './scope.js';

/** Asks every input of the tool and resolves with the answers by key (`{}` when it has none). */
export async function askInputs(
  inputs: Readonly<Record<string, ToolInputRequest>>,
  extra: ServerRequestExtra,
  clientCapabilities: ClientCapabilities | undefined,
): Promise<Record<string, ElicitResult>> {
  const answers: Record<string, ElicitResult> = {};
  for (const [key, { message, requestedSchema }] of Object.entries(inputs)) {
    assertClientCapability(clientCapabilities, 'elicitation/create');
    answers[key] = await extra.sendRequest({ method: 'elicitation/create', params: { message, requestedSchema } }, ElicitResultSchema);
  }
  return answers;
}
