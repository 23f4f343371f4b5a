/**
 * Creating tasks and task ids: R14, R15, R16, R22, R23, R24, R25, R26.
 */
import { TaskStatusSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe } from '../context.js';
import type { Check } from '../types.js';
import type { CheckContext } from '../context.js';
import { HOLD, LONG_HOLD_MS, OPTIONAL } from './common.js';

const SECTION = 'Task creation';

export const R14: Check = {
  id: 'R14',
  keyword: 'MAY',
  section: SECTION,
  title: 'task: {} (no ttl) is accepted',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('a CreateTaskResult whose task.ttl is an integer or null');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r14' }, { task: {} });
    ctx.see(`task ${JSON.stringify(task)}`);
    if (task.ttl !== null && !Number.isInteger(task.ttl)) ctx.violation(`ttl ${task.ttl} is neither an integer nor null`);
  },
};

export const R15: Check = {
  id: 'R15',
  keyword: 'MUST',
  section: SECTION,
  title: 'a task-augmented request gets a CreateTaskResult, not the operation result',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('result.task is a Task (taskId, status, createdAt, lastUpdatedAt, ttl) and result has no content');
    const outcome = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r15', delayMs: 200 }, { task: { ttl: 60_000 } });
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.abort('no result');
    if ('content' in outcome.result) ctx.violation('the result has content: the operation result was returned instead of a CreateTaskResult');
    if (typeof outcome.result.task !== 'object' || outcome.result.task === null) ctx.abort('the result has no task object');
    ctx.validateTask(outcome.result.task, 'CreateTaskResult.task');
  },
};

export const R16: Check = {
  id: 'R16',
  keyword: 'SHOULD',
  section: SECTION,
  title: 'the CreateTaskResult comes back at once, not when the work ends',
  needs: { fixtures: [HOLD], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect(`a CreateTaskResult well before the tool's ${LONG_HOLD_MS} ms of work end (within 2000 ms)`);
    const started = Date.now();
    const outcome = await ctx.callTool(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS }, { task: { ttl: 60_000 }, timeoutMs: 2000 });
    const elapsed = Date.now() - started;
    ctx.see(`${describe(outcome)} after ${elapsed} ms`);
    if (outcome.kind === 'result' && typeof outcome.result.task === 'object' && outcome.result.task) {
      ctx.cancelLater(ctx.peer, String((outcome.result.task as { taskId: unknown }).taskId));
      return;
    }
    ctx.violation(outcome.kind === 'timeout' ? 'no CreateTaskResult within 2000 ms' : 'no CreateTaskResult');
  },
};

export const R22: Check = {
  id: 'R22',
  keyword: 'MUST',
  section: SECTION,
  title: 'task ids are strings',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('typeof task.taskId === "string" (and non-empty)');
    const outcome = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r22' }, { task: { ttl: 60_000 } });
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.abort('no CreateTaskResult');
    const id = (outcome.result.task as { taskId?: unknown } | undefined)?.taskId;
    if (typeof id !== 'string' || id === '') ctx.violation(`taskId is ${JSON.stringify(id)}`);
  },
};

export const R23: Check = {
  id: 'R23',
  keyword: 'MUST',
  section: SECTION,
  title: 'the receiver chooses the task id (a requested id is not used)',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const chosen = 'conformance-requestor-chosen-id';
    ctx.expect(`a CreateTaskResult whose taskId is not "${chosen}" (or an error rejecting the field)`);
    const outcome = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r23' }, { task: { ttl: 60_000, taskId: chosen } });
    ctx.see(describe(outcome));
    if (outcome.kind === 'error') return;
    if (outcome.kind !== 'result') ctx.abort('no answer');
    const id = (outcome.result.task as { taskId?: unknown } | undefined)?.taskId;
    if (id === chosen) ctx.violation('the server used the task id the requestor sent');
  },
};

export const R24: Check = {
  id: 'R24',
  keyword: 'MUST',
  section: SECTION,
  title: 'task ids are unique (also across sessions)',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const peers = [ctx.peer];
    if (ctx.server.transport === 'http' || ctx.server.transport === 'memory') {
      try {
        peers.push(await ctx.openPeer('A'));
      } catch {
        // one connection is enough to check uniqueness
      }
    }
    ctx.send(`20 task-augmented tools/call ${OPTIONAL} on each of ${peers.length} connection(s)`);
    ctx.expect('all task ids differ');
    const ids: string[] = [];
    for (const peer of peers) {
      const tasks = await Promise.all(Array.from({ length: 20 }, (_, i) => ctx.createTask(peer, OPTIONAL, { text: `r24-${i}` })));
      ids.push(...tasks.map((t) => t.taskId));
    }
    const unique = new Set(ids);
    ctx.see(`${ids.length} ids, ${unique.size} distinct`);
    if (unique.size !== ids.length) ctx.violation(`${ids.length - unique.size} duplicate task id(s)`);
  },
};

export const R25: Check = {
  id: 'R25',
  keyword: 'schema',
  section: SECTION,
  title: 'every status is one of working, input_required, completed, failed, cancelled',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('every Task seen (create, get, list) has a TaskStatus');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r25', delayMs: 50 });
    await ctx.waitTerminal(ctx.peer, task.taskId);
    if (ctx.server.capabilities.tasks?.list !== undefined) await ctx.listAll(ctx.peer);
    const statuses = [...ctx.sightings.values()].flat().map((s) => s.task.status);
    ctx.see(`statuses seen: ${[...new Set(statuses)].join(', ')}`);
    for (const status of statuses) {
      if (!TaskStatusSchema.safeParse(status).success) ctx.violation(`status ${JSON.stringify(status)} is not a TaskStatus`);
    }
  },
};

export const R26: Check = {
  id: 'R26',
  keyword: 'MUST',
  section: SECTION,
  title: 'a task begins in working',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('CreateTaskResult.task.status == "working", even for work that ends at once (delayMs 0) ');
    for (const delayMs of [0, 200]) {
      const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r26', delayMs });
      ctx.see(`delayMs ${delayMs}: status ${task.status}`);
      if (task.status !== 'working') ctx.violation(`a new task (delayMs ${delayMs}) began in ${task.status}`);
    }
  },
};

export const CREATION_CHECKS: Check[] = [R14, R15, R16, R22, R23, R24, R25, R26];
