/**
 * One endpoint for both revisions of MCP tasks: 2025-11-25 clients (`initialize`, `params.task`,
 * `tasks/result`) and 2026-07-28 clients of the tasks extension (`server/discover`, `tasks/get`,
 * `tasks/update`), one `TaskSupport` and one tool implementation for both.
 *
 *   node dist/examples/both-revisions.js [port]        (prints its URL when it is ready)
 */
// #region imports
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { TasksExtension } from 'mcp-tasks/extension';
import { startHttpHost } from 'mcp-tasks/serve';
import { enableTasks, TaskSupport, type ToolContext } from 'mcp-tasks/server';
// #endregion

// #region both
const support = TaskSupport.inMemory(); // TaskSupport.redis(url) for several processes

const deployTool: Tool = {
  name: 'deploy',
  inputSchema: { type: 'object', properties: { env: { type: 'string' } }, required: ['env'] },
  execution: { taskSupport: 'optional' },
};
/** Written once: a 2025-11-25 task asks through tasks/result, a 2026-07-28 task through inputRequests. */
async function deploy(args: Record<string, unknown>, ctx: ToolContext) {
  const answer = await ctx.elicit(`Deploy to ${String(args['env'])}?`, { type: 'object', properties: { confirm: { type: 'boolean' } } });
  const confirmed = answer.action === 'accept' && answer.content?.['confirm'] === true;
  return { content: [{ type: 'text' as const, text: confirmed ? `deployed to ${String(args['env'])}` : 'not deployed' }] };
}

const extension = new TasksExtension({ taskSupport: support }); // 2026-07-28
extension.registerTool(deployTool, deploy);

const host = await startHttpHost({
  host: '127.0.0.1',
  port: Number(process.argv[2] ?? 3000),
  // 2025-11-25: one SDK 1.x Server per session, all on the same TaskSupport
  createSession: () => {
    const server = new Server({ name: 'deploy-demo', version: '1.0.0' }, { capabilities: {} });
    enableTasks(server, { taskSupport: support }).registerTool(deployTool, deploy);
    return { connect: (transport) => server.connect(transport), close: () => server.close() };
  },
  // 2026-07-28 requests (the per-request _meta envelope) go here, on the same URL
  modern: extension.httpHandler({ name: 'deploy-demo', version: '1.0.0' }),
});
console.log(`listening on ${host.url}`);
// #endregion

// #region shutdown
async function shutdown(): Promise<void> {
  await support.close(); // aborts running tasks and waits for them (bounded)
  await host.close();
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
// #endregion
