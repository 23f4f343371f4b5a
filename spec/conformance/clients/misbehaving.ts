/**
 * A deliberately wrong task client for the client checks' own tests: an SDK `Client` that sends
 * raw requests, with one misbehaviour switched on at a time.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, CreateTaskResultSchema, ElicitRequestSchema, GetTaskResultSchema, type ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ClientDriver } from '../../../conformance/index.js';

/** What the client gets wrong. */
export interface Misbehaviour {
  /** Sends params.task on every call, whatever the server and tool declare (R3, R8, R9). */
  alwaysTask?: boolean;
  /** Never sends params.task (R12). */
  neverTask?: boolean;
  /** Polls tasks/get this often, ignoring pollInterval (R44). */
  pollEveryMs?: number;
  /** Polls this many more times after a terminal status (R45). */
  pollAfterEnd?: number;
  /** Gives up after one poll, never fetching the result (R45). */
  stopEarly?: boolean;
  /** Declares these capabilities (R2: a malformed tasks capability). */
  capabilities?: Record<string, unknown>;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** The driver of a client that misbehaves as told. */
export function misbehavingDriver(wrong: Misbehaviour): ClientDriver {
  return async ({ url, tool, arguments: args }) => {
    const client = new Client({ name: 'misbehaving-client', version: '0.0.1' }, { capabilities: (wrong.capabilities ?? { elicitation: {} }) as ClientCapabilities });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: true } }));
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      const tools = await client.listTools();
      const support = tools.tools.find((t) => t.name === tool)?.execution?.taskSupport ?? 'forbidden';
      const declared = client.getServerCapabilities()?.tasks?.requests?.tools?.call !== undefined;
      const asTask = wrong.alwaysTask === true || (!wrong.neverTask && declared && support !== 'forbidden');
      if (!asTask) {
        await client.request({ method: 'tools/call', params: { name: tool, arguments: args } }, CallToolResultSchema).catch(() => undefined);
        return;
      }
      const created = (await client.request({ method: 'tools/call', params: { name: tool, arguments: args, task: { ttl: 60_000 } } }, z.union([CreateTaskResultSchema, CallToolResultSchema]))) as {
        task?: { taskId: string; pollInterval?: number };
      };
      if (!created.task) return;
      const taskId = created.task.taskId;
      const every = wrong.pollEveryMs ?? created.task.pollInterval ?? 250;
      let extra = wrong.pollAfterEnd ?? 0;
      for (;;) {
        await new Promise((r) => setTimeout(r, every));
        const task = await client.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema);
        if (wrong.stopEarly) return;
        if (TERMINAL.has(task.status) && extra-- <= 0) break;
      }
      await client.request({ method: 'tasks/result', params: { taskId } }, CallToolResultSchema).catch(() => undefined);
    } finally {
      await client.close();
    }
  };
}
