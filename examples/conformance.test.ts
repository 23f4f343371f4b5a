/**
 * The conformance suite from a test file: your server, in process, checked on every run of your
 * tests (node's test runner).
 *
 *   node --test dist/examples/conformance.test.js
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { formatReport, registerConformanceFixtures, runConformance } from 'mcp-tasks/conformance';
import { enableTasks, TaskSupport } from 'mcp-tasks/server';

// #region conformance
test('my server passes the MCP tasks conformance suite', async (t) => {
  const support = TaskSupport.inMemory();
  t.after(() => support.close());
  const report = await runConformance({
    target: {
      name: 'my server (in process)',
      // a fresh connection to a fresh Server per requestor, like a real deployment
      async connect() {
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        const server = new Server({ name: 'my-server', version: '1.0.0' }, { capabilities: {} });
        const tasks = enableTasks(server, { taskSupport: support });
        registerConformanceFixtures(tasks); // the tools the checks drive; your own tools go beside them
        await server.connect(serverSide);
        return clientSide;
      },
    },
  });
  assert.deepEqual(report.unexpectedFailures, [], formatReport(report));
});
// #endregion
