/**
 * 1,000 tasks in flight from one SDK client over Streamable HTTP: every `tasks/result` answered,
 * none lost at the socket (the reference server keeps idle keep-alive connections longer than
 * fetch reuses them; see src/cli/serve/httpHost.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { startServe, stopServe } from '../cli/serveHelpers.js';

test('1,000 concurrent tasks from one client over Streamable HTTP: all results, zero socket errors', async (t) => {
  const server = await startServe(['--port', '0']);
  t.after(() => stopServe(server, 'SIGKILL'));
  const client = new Client({ name: 'load', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  quietListenerWarnings(t);
  t.after(() => client.close());
  const total = 1_000;
  const options = { timeout: 120_000 };
  const ids = await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      const created = await client.request(
        { method: 'tools/call', params: { name: 'tasks_conformance_optional', arguments: { text: `t${i}`, delayMs: 500 + (i % 10) * 100 }, task: {} } },
        CreateTaskResultSchema,
        options,
      );
      return created.task.taskId;
    }),
  );
  const failures: string[] = [];
  let ok = 0;
  await Promise.all(
    ids.map(async (taskId, i) => {
      try {
        const result = await client.request({ method: 'tasks/result', params: { taskId } }, CallToolResultSchema, options);
        if (result.content[0]?.type === 'text' && result.content[0].text === `t${i}`) ok += 1;
        else failures.push(`wrong result for t${i}`);
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        failures.push(`${String(error)}${cause?.code ? ` (${cause.code})` : ''}`);
      }
    }),
  );
  assert.deepEqual(failures.slice(0, 5), []);
  assert.equal(ok, total);
});

/**
 * The SDK's HTTP client transport hangs every fetch on one AbortSignal of its own, and fetch
 * (undici) warns once more than 1,500 listeners wait on a signal: with 2,000 requests in flight
 * that is a warning per request, though each listener goes with its request. Those warnings are
 * left out of this test's output; every other warning is still printed.
 */
function quietListenerWarnings(t: import('node:test').TestContext): void {
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  const filter = (warning: Error): void => {
    if (warning.name !== 'MaxListenersExceededWarning') for (const print of printers) print(warning);
  };
  process.on('warning', filter);
  t.after(() => {
    process.off('warning', filter);
    for (const print of printers) process.on('warning', print);
  });
}
