/**
 * The public runtime surface, pinned: the root export is what server and client authors use (at
 * most 40 names); internals are not exported. A change here is a change of the public API.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const ROOT = [
  'CapabilityMissingError',
  'InMemoryTaskMessageQueue',
  'InMemoryTaskResponseChannel',
  'InMemoryTaskStore',
  'InvalidToolArgumentsError',
  'ServerTaskContext',
  'TaskAbortedError',
  'TaskCancelledError',
  'TaskClient',
  'TaskError',
  'TaskLimitError',
  'TaskNotFoundError',
  'TaskOutcomeError',
  'TaskServer',
  'TaskSupport',
  'TaskSupportClosedError',
  'TaskTerminalError',
  'TaskWaitTimeoutError',
  'ToolNegotiationError',
  'UnknownToolError',
  'callToolAsTask',
  'createMessageAsTask',
  'defaultScopeResolver',
  'elicitAsTask',
  'enableClientTasks',
  'enableMcpTasks',
  'enableTasks',
  'ignoreTaskAugmentation',
  'isTerminal',
  'listAllTasks',
  'listTasks',
  'registerTaskTool',
  'routeTaskResponses',
  'runTask',
  'toJsonRpcError',
];

test('the root export is the curated list (at most 40 runtime names)', async () => {
  const root = await import('../../src/index.js');
  assert.deepEqual(Object.keys(root).sort(), [...ROOT].sort());
  assert.ok(ROOT.length <= 40);
});

test('internals stay out of the public entry points', async () => {
  const entries = await Promise.all([
    import('../../src/index.js'),
    import('../../src/server/index.js'),
    import('../../src/client/index.js'),
    import('../../src/core/index.js'),
  ]);
  for (const entry of entries) {
    for (const internal of ['stripToolCallTask', 'SIDE_CHANNEL_ID_PREFIX', 'checkOutcome', 'resolveStoreOptions', 'Resolver', 'canTransition', 'registerConformanceFixtures']) {
      assert.equal(internal in entry, false, `${internal} is exported`);
    }
  }
});

test('mcp-tasks/extension exports the binding, its errors and its wire constants, nothing internal', async () => {
  const extension = await import('../../src/extension/index.js');
  assert.deepEqual(Object.keys(extension).sort(), [
    'MAX_LISTEN_TASK_IDS',
    'MISSING_CLIENT_CAPABILITY',
    'MissingTasksExtensionError',
    'NoInputWithoutTaskError',
    'TASKS_EXTENSION_ID',
    'TasksExtension',
    'TasksServer',
    'declaresTasks',
    'defaultExtensionScope',
  ]);
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
  assert.ok('./extension' in pkg.exports);
});
