/**
 * A client that calls a tool as a task, answers the tool's question, shows the task's progress,
 * prints the result and exits.
 *
 *   node dist/examples/client.js http://127.0.0.1:3000/mcp
 */
// #region imports
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { callToolAsTask } from 'mcp-tasks/client';
// #endregion

// #region client
const client = new Client({ name: 'deploy-client', version: '1.0.0' }, { capabilities: { elicitation: {} } });
client.setRequestHandler(ElicitRequestSchema, async (request) => {
  console.log(`asked: ${request.params.message}`);
  return { action: 'accept', content: { confirm: true } };
});
await client.connect(new StreamableHTTPClientTransport(new URL(process.argv[2] ?? 'http://127.0.0.1:3000/mcp')));
try {
  const task = await callToolAsTask(client, 'deploy', { env: 'staging' }); // a task where the server allows it
  task.onStatusChange((state) => console.log(`${state.status}${state.statusMessage ? `: ${state.statusMessage}` : ''}`));
  const result = await task.result(); // the tool's CallToolResult, or the very JSON-RPC error it failed with
  for (const block of result.content) if (block.type === 'text') console.log(block.text);
} finally {
  await client.close(); // without it the process would not exit
}
// #endregion
