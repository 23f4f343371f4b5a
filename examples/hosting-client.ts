/**
 * A client that hosts tasks: it runs the server's elicitation as a task of its own (client-hosted
 * tasks), calls a task-only tool, prints the result and exits. It starts the stdio server itself.
 *
 *   node dist/examples/hosting-client.js
 */
import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { TaskClient } from 'mcp-tasks/client';

// #region hosting
const client = new TaskClient({ name: 'hosting-client', version: '1.0.0' });
const hosted = client.experimental.enableTasks({
  // answers elicitation/create, plain or as a task (then the server polls tasks/get and tasks/result on us)
  elicitation: async (request, { taskId }) => {
    console.log(`asked${taskId ? ` (as task ${taskId.slice(0, 8)}…)` : ''}: ${request.params.message}`);
    return { action: 'accept', content: { confirm: true } };
  },
});
const server = fileURLToPath(new URL('./mcp-server-stdio.js', import.meta.url));
await client.connect(new StdioClientTransport({ command: process.execPath, args: [server] }));
try {
  const task = await client.experimental.callToolAsTask('delete-files', { pattern: '*.tmp' });
  const result = await task.result();
  for (const block of result.content) if (block.type === 'text') console.log(block.text);
} finally {
  await client.close(); // ends the server process too
  await hosted.close();
}
// #endregion
