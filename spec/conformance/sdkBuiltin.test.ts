import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { formatReport, parseBaseline, runConformance } from '../../conformance/index.js';
import { sdkTarget } from './servers/sdkServer.js';

/** The baseline file, found relative to this test (dist/spec/… or .out/<name>/spec/…). */
async function readSdkBaseline(): Promise<string> {
  const candidates = ['../../../conformance/baselines/sdk-1.32.2-builtin.yaml', '../../../../conformance/baselines/sdk-1.32.2-builtin.yaml'];
  for (const rel of candidates) {
    try {
      return await readFile(new URL(rel, import.meta.url), 'utf8');
    } catch {
      // try the next layout
    }
  }
  throw new Error('conformance/baselines/sdk-1.32.2-builtin.yaml not found');
}

test('the SDK 1.32.2 built-in task support matches its recorded baseline, and the suite catches F1 and F3', async () => {
  const baseline = parseBaseline(await readSdkBaseline());
  const target = sdkTarget();
  try {
    const report = await runConformance({ target: { connect: target.connect, name: 'SDK 1.32.2 built-in' }, baseline });
    const text = formatReport(report);
    const outcomeOf = (id: string): string | undefined => report.results.find((r) => r.id === id)?.outcome;
    // F1, both -32601 paths: a suite that passes these against the SDK is wrong.
    assert.equal(outcomeOf('R13'), 'fail', text);
    assert.notEqual(outcomeOf('R10'), 'pass', text);
    // the SDK runs the forbidden tool, then fails its own result validation: reported as such, with its message
    assert.match(report.results.find((r) => r.id === 'R10')!.reasons.join(' '), /ran the forbidden tool and then rejected its own result \(-32602: ".*Invalid task creation result/, text);
    // F3: no status notification on cancel.
    assert.notEqual(outcomeOf('R57'), 'pass', text);
    // The baseline is exact: nothing fails outside it, and no entry is stale.
    assert.deepEqual(report.unexpectedFailures, [], text);
    assert.deepEqual(report.staleBaseline, [], text);
    for (const [id] of baseline.expected) assert.notEqual(outcomeOf(id), 'pass', `${id} is listed but passes`);
  } finally {
    await target.close();
  }
});

test('over Streamable HTTP the suite also catches F4 (side-channel requests lost in JSON-response mode) and checks session isolation', async () => {
  const { InMemoryTaskMessageQueue, InMemoryTaskStore } = await import('@modelcontextprotocol/sdk/experimental/tasks');
  const { createSdkServer } = await import('./servers/sdkServer.js');
  const { startHttpHost } = await import('./servers/httpHost.js');
  for (const jsonResponse of [false, true]) {
    const store = new InMemoryTaskStore();
    const queue = new InMemoryTaskMessageQueue();
    const host = await startHttpHost(() => createSdkServer(store, queue).server, { jsonResponse });
    try {
      const report = await runConformance({ target: { url: host.url }, only: ['R13', 'R30', 'R35', 'R82', 'R85', 'R86'] });
      const text = formatReport(report);
      const outcomeOf = (id: string): string | undefined => report.results.find((r) => r.id === id)?.outcome;
      assert.equal(outcomeOf('R13'), 'fail', text);
      assert.equal(outcomeOf('R30'), jsonResponse ? 'fail' : 'pass', text);
      assert.equal(outcomeOf('R35'), jsonResponse ? 'pass' : 'warn', text);
      for (const id of ['R82', 'R85', 'R86']) assert.equal(outcomeOf(id), 'pass', text);
    } finally {
      await host.close();
      store.cleanup();
    }
  }
});
