/** The stubborn fixture (docs/conformance.md) does not keep a process alive once `TaskSupport.close()` has returned. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { callAsTask, cancelTask, getTask, inMemory, textOf } from './harness.js';

test('R72: after TaskSupport.close() the stubborn fixture\'s wait does not hold the process (it exits by itself)', async () => {
  const script = fileURLToPath(new URL('./fixtures/stubbornChild.js', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000); // the hold is 10 minutes
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (c, s) => resolve([c, s])),
  );
  clearTimeout(deadline);
  assert.equal(signal, null, 'the child had to be killed: something kept it alive');
  assert.equal(code, 0);
  assert.equal(output, 'closed\n');
});

test('R72: the stubborn fixture still ignores cancellation: it completes its hold and stays cancelled', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_stubborn', { holdMs: 20 });
  await cancelTask(h.client, task.taskId);
  assert.equal(h.support.isRunning(task.taskId), true); // still holding after the cancel
  await h.support.settled(task.taskId);
  assert.equal((await getTask(h.client, task.taskId)).status, 'cancelled');
  const direct = await h.client.callTool({ name: 'tasks_conformance_stubborn', arguments: { holdMs: 1 } });
  assert.equal(textOf(direct), 'stubborn');
});
