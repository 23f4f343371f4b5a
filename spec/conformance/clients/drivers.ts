/**
 * Scenario drivers of client conformance for three clients: this project's `TaskClient`, the SDK
 * 1.32 client's own `experimental.tasks.callToolStream`, and the official requester
 * `@modelcontextprotocol/ext-tasks` 0.2.2 (`core/v1`, on `@modelcontextprotocol/client` 2.x). Each
 * connects to the scenario's URL, calls its tool the way that client calls tools, answers
 * elicitations with `accept`, and closes.
 */
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as SdkHttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client as V2Client, StreamableHTTPClientTransport as V2HttpTransport } from '@modelcontextprotocol/client';
import { createTaskSessionFromClient } from '@modelcontextprotocol/ext-tasks/client';
import { bindTaskReceiver } from '@modelcontextprotocol/ext-tasks/receiver';
import type { ClientDriver } from '../../../conformance/index.js';
import { TaskClient } from '../../../src/client/index.js';

const CONFIRM = { action: 'accept' as const, content: { confirm: true } };

/** This project's TaskClient: callToolAsTask (a task where the tool and server allow it), hosting elicitation tasks. */
export const taskClientDriver: ClientDriver = async ({ url, tool, arguments: args, signal }) => {
  const client = new TaskClient({ name: 'mcp-tasks TaskClient', version: '0.1.0' }, { capabilities: { elicitation: { form: {} } } });
  const hosted = client.experimental.enableTasks({ elicitation: async () => CONFIRM });
  await client.connect(new SdkHttpTransport(new URL(url)));
  try {
    const task = await client.experimental.callToolAsTask(tool, args, { signal });
    await task.result({ signal }).catch(() => undefined);
  } finally {
    await client.close();
    await hosted.close();
  }
};

/** The SDK 1.32 client: experimental.tasks.callToolStream, read to its end. */
export const sdkStreamDriver: ClientDriver = async ({ url, tool, arguments: args, signal }) => {
  const client = new SdkClient({ name: 'sdk-1.32 callToolStream', version: '1.32.2' }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler(ElicitRequestSchema, async () => CONFIRM);
  await client.connect(new SdkHttpTransport(new URL(url)));
  try {
    await client.listTools(); // callToolStream adds params.task for tools the listing marked as tasks
    const stream = client.experimental.tasks.callToolStream({ name: tool, arguments: args }, CallToolResultSchema, { signal });
    for await (const message of stream) if (message.type === 'result' || message.type === 'error') break;
  } finally {
    await client.close();
  }
};

/** The official requester ext-tasks 0.2.2 core/v1 (createTaskSessionFromClient, callTool, settle), hosting elicitation tasks with its bindTaskReceiver. */
export const extTasksV1Driver: ClientDriver = async ({ url, tool, arguments: args, signal }) => {
  const client = new V2Client({ name: 'ext-tasks core/v1', version: '0.2.2' }, { capabilities: { elicitation: {} } });
  const receiver = bindTaskReceiver(client, { methods: { 'elicitation/create': true }, elicitation: async () => CONFIRM });
  client.registerCapabilities({ tasks: receiver.capabilities as never });
  await client.connect(new V2HttpTransport(new URL(url)));
  const session = createTaskSessionFromClient(client, {
    endpointId: 'client-conformance',
    onInputRequest: async () => CONFIRM as never,
  });
  try {
    const execution = await session.callTool(tool, args as never);
    await Promise.race([execution.settle(), new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
  } finally {
    await session.close();
    receiver.close();
    await client.close();
  }
};
