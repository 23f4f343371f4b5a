/**
 * A scenario driver for client conformance (`mcp-tasks conformance client --command`), written
 * for this library's TaskClient: it connects to the URL it is given, calls the scenario's tool the
 * way the client always calls tools, answers elicitations with accept, and exits.
 *
 *   mcp-tasks conformance client --command "node dist/examples/conformance-client.js"
 */
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { TaskClient } from 'mcp-tasks/client';

// #region driver
const url = process.argv.at(-1)!; // the suite appends the scripted server's URL
const { tool, arguments: args } = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as { tool: string; arguments: Record<string, unknown> };

const client = new TaskClient({ name: 'conformance-client', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
const hosted = client.experimental.enableTasks({ elicitation: async () => ({ action: 'accept', content: { confirm: true } }) });
await client.connect(new StreamableHTTPClientTransport(new URL(url)));
try {
  const task = await client.experimental.callToolAsTask(tool, args); // a task where the tool and server allow it
  const result = await task.result();
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error)); // a tool error is the scenario's business, not ours
} finally {
  await client.close();
  await hosted.close();
}
// #endregion
