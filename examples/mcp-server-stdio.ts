/**
 * The `McpServer` variant, over stdio: tools registered with `registerTaskTool` (zod arguments),
 * one of them asking the client to run its confirmation as a client-side task. It exits when the
 * client closes stdin.
 *
 *   node dist/examples/mcp-server-stdio.js          (started by a client, e.g. hosting-client.js)
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { enableMcpTasks, registerTaskTool, TaskSupport } from 'mcp-tasks/server';

// #region mcp
const support = TaskSupport.inMemory();
const mcp = new McpServer({ name: 'files-demo', version: '1.0.0' });
enableMcpTasks(mcp, { taskSupport: support, tasks: true }); // before any tool; every tool goes through registerTaskTool

registerTaskTool(mcp, 'count', { description: 'Counts to n', inputSchema: { n: z.number().int().min(1).max(100) } }, async ({ n }, ctx) => {
  for (let i = 1; i <= n; i++) await ctx.reportProgress(i, n, `${i}/${n}`);
  return { content: [{ type: 'text', text: `counted to ${n}` }] };
});

registerTaskTool(mcp, 'delete-files', { task: 'required', inputSchema: { pattern: z.string() } }, async ({ pattern }, ctx) => {
  // The client runs the confirmation as a task of its own; this task waits for its result.
  const confirmation = await ctx.task!.elicitAsTask({
    mode: 'form',
    message: `Delete every file matching ${pattern}?`,
    requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] },
  });
  const answer = await confirmation.result({ signal: ctx.signal });
  const yes = answer.action === 'accept' && answer.content?.['confirm'] === true;
  return { content: [{ type: 'text', text: yes ? `deleted ${pattern}` : 'kept everything' }] };
});
// #endregion

const transport = new StdioServerTransport();
transport.onclose = () => void support.close();
await mcp.connect(transport);
