/** The floor: plain `tools/call` without tasks, on an `McpServer` with ordinary tools. */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolResultSchema, ElicitResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { connect, type TransportKind } from '../transports.js';
import { ELICIT_CONFIRMED, ELICIT_PARAMS, expectText, textResult, type BenchTarget, type Gates } from './target.js';

/** An `McpServer` with the three bench tools as plain (non-task) tools. */
function plainServer(gates: Gates): McpServer {
  const server = new McpServer({ name: 'bench-plain', version: '0.0.0' });
  server.registerTool('instant', { inputSchema: { text: z.string() } }, async ({ text }) => textResult(text));
  server.registerTool('gated', { inputSchema: { gate: z.string() } }, async ({ gate }) => {
    await gates.wait(gate);
    return textResult(gate);
  });
  server.registerTool('elicit', {}, async (extra) => {
    const answer = await extra.sendRequest({ method: 'elicitation/create', params: ELICIT_PARAMS }, ElicitResultSchema);
    return textResult(`confirmed: ${String(answer.content?.['confirm'])}`);
  });
  return server;
}

/** Opens the plain target over `transport`. */
export async function openPlainTarget(transport: TransportKind, gates: Gates): Promise<BenchTarget> {
  const { client, close } = await connect(plainServer(gates), transport);
  const call = async (name: string, args: Record<string, unknown>, expected: string): Promise<void> => {
    const result = await client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema);
    expectText(result, expected);
  };
  return {
    key: 'plain',
    transport,
    instant: (text) => call('instant', { text }, text),
    async startGated(gateId) {
      return { done: call('gated', { gate: gateId }, gateId) };
    },
    elicit: () => call('elicit', {}, ELICIT_CONFIRMED),
    close,
  };
}
