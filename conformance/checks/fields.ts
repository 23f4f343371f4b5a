/**
 * Timestamps, ttl, pollInterval and result shapes: R38, R39, R40, R41, R42, R43, R47.
 */
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../types.js';
import { describe, type CheckContext } from '../context.js';
import { HOLD, LONG_HOLD_MS, OPTIONAL, RFC3339 } from './common.js';

const SECTION = 'Task fields';
const NEEDS: Check['needs'] = { fixtures: [OPTIONAL], capabilities: ['tools.call'] };

/** Creates a task, polls it to the end, lists, cancels a held one: every Task is sighted. */
async function exercise(ctx: CheckContext): Promise<void> {
  const since = ctx.peer.lastSeq;
  const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'fields', delayMs: 80 });
  await ctx.getTask(ctx.peer, task.taskId);
  await new Promise((r) => setTimeout(r, 30));
  await ctx.waitTerminal(ctx.peer, task.taskId);
  if (ctx.server.capabilities.tasks?.list !== undefined) await ctx.listAll(ctx.peer);
  if (ctx.server.fixtures.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
    const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
    ctx.cancelledTask(await ctx.cancel(ctx.peer, held.taskId));
  }
  for (const taskId of ctx.sightings.keys()) {
    for (const n of ctx.statusNotifications(ctx.peer, taskId, since)) {
      if (ctx.validateTask(n.params, 'notifications/tasks/status params')) ctx.sight('notification', n.params as unknown as Task);
    }
  }
}

function allSightings(ctx: CheckContext): Array<{ source: string; task: Task }> {
  return [...ctx.sightings.values()].flat();
}

export const R38: Check = {
  id: 'R38',
  keyword: 'MUST',
  section: SECTION,
  title: 'createdAt is an RFC 3339 timestamp and never changes',
  needs: NEEDS,
  async run(ctx: CheckContext) {
    ctx.expect('createdAt on every Task (create, get, list, cancel, notification) parses and stays the same');
    await exercise(ctx);
    for (const [taskId, list] of ctx.sightings) {
      const values = new Set(list.map((s) => s.task.createdAt));
      ctx.see(`task ${taskId}: createdAt ${[...values].join(' | ')} (${list.length} sightings)`);
      for (const v of values) if (!RFC3339.test(v) || Number.isNaN(Date.parse(v))) ctx.violation(`createdAt ${JSON.stringify(v)} is not RFC 3339`);
      if (values.size > 1) ctx.violation(`task ${taskId}: createdAt changed`);
    }
  },
};

export const R39: Check = {
  id: 'R39',
  keyword: 'MUST',
  section: SECTION,
  title: 'lastUpdatedAt is an RFC 3339 timestamp, ≥ createdAt, never going back',
  needs: NEEDS,
  async run(ctx: CheckContext) {
    ctx.expect('lastUpdatedAt parses, is not before createdAt, and does not decrease across polls');
    await exercise(ctx);
    for (const [taskId, list] of ctx.sightings) {
      let previous = -Infinity;
      for (const s of list) {
        const v = s.task.lastUpdatedAt;
        if (!RFC3339.test(v) || Number.isNaN(Date.parse(v))) {
          ctx.violation(`lastUpdatedAt ${JSON.stringify(v)} is not RFC 3339`);
          continue;
        }
        const t = Date.parse(v);
        if (t < Date.parse(s.task.createdAt)) ctx.violation(`task ${taskId}: lastUpdatedAt ${v} is before createdAt ${s.task.createdAt}`);
        if (s.source !== 'notification') {
          if (t < previous) ctx.violation(`task ${taskId}: lastUpdatedAt went back to ${v}`);
          previous = Math.max(previous, t);
        }
      }
      ctx.see(`task ${taskId}: lastUpdatedAt ${list.map((s) => s.task.lastUpdatedAt).join(' → ')}`);
    }
  },
};

export const R40: Check = {
  id: 'R40',
  keyword: 'MAY',
  section: SECTION,
  title: 'the receiver may override the requested ttl (and reports the actual one)',
  needs: NEEDS,
  async run(ctx: CheckContext) {
    ctx.expect('a CreateTaskResult with ttl an integer or null (possibly different from 999999999); tasks/get reports the same ttl');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r40' }, { task: { ttl: 999_999_999 } });
    const got = await ctx.getTask(ctx.peer, task.taskId);
    ctx.see(`requested 999999999, created with ttl ${task.ttl}, tasks/get ttl ${got.ttl}`);
    if (task.ttl !== null && !Number.isInteger(task.ttl)) ctx.violation('ttl is not an integer or null');
    if (got.ttl !== task.ttl) ctx.violation('tasks/get reports a different ttl than the CreateTaskResult');
  },
};

export const R41: Check = {
  id: 'R41',
  keyword: 'MUST',
  section: SECTION,
  title: 'every Task carries ttl (integer ms or null)',
  needs: NEEDS,
  async run(ctx: CheckContext) {
    ctx.expect('the ttl key on every Task (create, get, list, cancel, notification), an integer or null');
    await exercise(ctx);
    for (const s of allSightings(ctx)) {
      if (s.task.ttl !== null && !Number.isInteger(s.task.ttl)) ctx.violation(`${s.source}: ttl ${s.task.ttl} is not an integer`);
    }
    ctx.see(`ttl values: ${[...new Set(allSightings(ctx).map((s) => String(s.task.ttl)))].join(', ')}`);
  },
};

export const R42: Check = {
  id: 'R42',
  keyword: 'MAY',
  section: SECTION,
  title: 'after ttl a task may be gone: tasks/get then gives -32602',
  needs: NEEDS,
  async run(ctx: CheckContext) {
    ctx.expect('after the ttl elapsed: the Task, or JSON-RPC error -32602');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r42' }, { task: { ttl: 200 } });
    ctx.see(`created with ttl ${task.ttl}`);
    const wait = typeof task.ttl === 'number' && task.ttl <= 1000 ? task.ttl + 400 : 600;
    await new Promise((r) => setTimeout(r, wait));
    const outcome = await ctx.get(ctx.peer, task.taskId);
    ctx.see(`tasks/get after ${wait} ms: ${describe(outcome)}`);
    if (outcome.kind === 'error' && outcome.error.code !== -32602) ctx.violation(`error code ${outcome.error.code} instead of -32602`);
    if (outcome.kind === 'timeout' || outcome.kind === 'closed') ctx.violation('no answer');
  },
};

export const R43: Check = {
  id: 'R43',
  keyword: 'MAY',
  section: SECTION,
  title: 'pollInterval, when present, is a non-negative integer',
  needs: NEEDS,
  async run(ctx: CheckContext) {
    ctx.expect('pollInterval absent, or a non-negative integer (ms)');
    await exercise(ctx);
    const values = allSightings(ctx).map((s) => s.task.pollInterval);
    ctx.see(`pollInterval values: ${[...new Set(values.map(String))].join(', ')}`);
    for (const v of values) {
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) ctx.violation(`pollInterval ${v} is not a non-negative integer`, 'failure');
    }
  },
};

export const R47: Check = {
  id: 'R47',
  keyword: 'schema',
  section: SECTION,
  title: 'tasks/get result is a flat Task; CreateTaskResult wraps it in task',
  needs: NEEDS,
  async run(ctx: CheckContext) {
    ctx.expect('CreateTaskResult: { task: Task }; tasks/get: { taskId, status, … } at the top level');
    const created = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r47' }, { task: { ttl: 60_000 } });
    ctx.see(`create: ${describe(created)}`);
    if (created.kind !== 'result' || typeof created.result.task !== 'object' || created.result.task === null) ctx.abort('no CreateTaskResult');
    if ('taskId' in created.result) ctx.violation('CreateTaskResult has a top-level taskId (the Task must be nested under task)');
    const taskId = String((created.result.task as { taskId: unknown }).taskId);
    const got = await ctx.get(ctx.peer, taskId);
    ctx.see(`get: ${describe(got)}`);
    if (got.kind !== 'result') ctx.abort('tasks/get failed');
    if (got.result.taskId !== taskId || typeof got.result.status !== 'string') ctx.violation('tasks/get result has no top-level taskId/status');
    if ('task' in got.result) ctx.violation('tasks/get result wraps the Task in task');
  },
};

export const FIELD_CHECKS: Check[] = [R38, R39, R40, R41, R42, R43, R47];
