/**
 * The kit's checks can fail: each broken implementation in fixtures/brokenStores.ts has one classic
 * bug, and the kit check aimed at that bug must fail on it (run in a child process, since a failing
 * kit suite is a failing node:test suite). Also: a failing race names a seed that replays it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const runner = fileURLToPath(new URL('./fixtures/brokenRun.js', import.meta.url));

interface Run {
  code: number;
  output: string;
}

/** Runs the kit against one broken variant, only the checks matching `pattern`. */
function runKit(variant: string, pattern: string, seed = 7): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, KIT_VARIANT: variant, MCP_TASKS_CONTRACT_SEED: String(seed) };
  delete env.NODE_TEST_CONTEXT; // the child is a standalone run, not a subtest of this runner
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--test-reporter=tap', `--test-name-pattern=${pattern}`, runner], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, output: `${stdout}\n${stderr}` });
    });
  });
}

function failedChecks(output: string): string[] {
  return [...output.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((m) => m[1]!);
}

const CASES: Array<{ variant: string; bug: string; pattern: string; check: string }> = [
  { variant: 'lost-wakeup', bug: 'subscribes after checking the version', pattern: 'no lost wake-up: \\d+ randomized interleavings of read version', check: 'no lost wake-up' },
  { variant: 'silent-late-completion', bug: 'ignores a completion after cancel without throwing', pattern: 'R72: a cancelled task stays cancelled', check: 'R72: a cancelled task stays cancelled' },
  { variant: 'scope-leak', bug: 'ignores the scope in getTask', pattern: 'R70, R85: a working task', check: 'R70, R85: a working task' },
  { variant: 'oracle', bug: 'tells another scope the task is terminal', pattern: 'R70, R85: a completed task', check: 'R70, R85: a completed task' },
  { variant: 'non-atomic-finish', bug: 'stores the outcome after the status', pattern: 'finishTask is atomic', check: 'finishTask is atomic' },
  { variant: 'listener-leak', bug: 'leaves abort listeners behind', pattern: 'reused AbortSignal accumulates no listeners', check: 'a reused AbortSignal accumulates no listeners' },
  { variant: 'task-id-cursor', bug: 'issues cursors naming the last task of the page', pattern: 'including the very task it was derived from', check: 'R64, R66: a cursor stays valid when tasks expire' },
  { variant: 'never-expires', bug: 'reports a ttl but never expires', pattern: 'R42, R70: after its ttl', check: 'R42, R70: after its ttl' },
  { variant: 'sync-subscribe', bug: 'delivers a state from inside subscribe', pattern: 'subscribe: the current state first', check: 'subscribe: the current state first' },
  { variant: 'racy-bound', bug: 'checks the queue bound and appends in two steps', pattern: 'bound under \\d+ concurrent enqueues', check: 'bound under' },
  { variant: 'lost-wakeup-queue', bug: 'listens for the next enqueue after checking the queue', pattern: 'no lost wake-up: \\d+ randomized interleavings of wait / enqueue', check: 'no lost wake-up' },
  { variant: 'drop-early', bug: 'drops an answer published before the wait', pattern: 'publish, then wait', check: 'publish, then wait' },
];

describe('the contract kit catches broken implementations', () => {
  for (const { variant, bug, pattern, check } of CASES) {
    it(`fails an implementation that ${bug} (${variant})`, async () => {
      const run = await runKit(variant, pattern);
      assert.equal(run.code, 1, `the kit must fail ${variant}:\n${run.output}`);
      const failed = failedChecks(run.output);
      assert.ok(failed.some((name) => name.startsWith(check)), `the check "${check}" must fail; failed: ${JSON.stringify(failed)}`);
    });
  }

  it('a failing race prints its seed, and the same run seed replays the same failing interleaving', async () => {
    const pattern = 'no lost wake-up: \\d+ randomized interleavings of read version';
    const where = (run: Run) => /interleaving (\d+) of \d+ failed \(seed (\d+), run seed (\d+)\)/.exec(run.output)?.slice(1);
    const first = where(await runKit('lost-wakeup', pattern, 3));
    const second = where(await runKit('lost-wakeup', pattern, 3));
    assert.ok(first, 'the failure names the interleaving and the seeds');
    assert.equal(first[2], '3', 'the run seed is the one given in MCP_TASKS_CONTRACT_SEED');
    assert.deepEqual(second, first, 'the same seed fails at the same interleaving');
  });
});
