/**
 * Related-task metadata: R52, R53, R55, R56, R60.
 */
import type { Check } from '../types.js';
import type { CheckContext } from '../context.js';
import { describe, firstText } from '../context.js';
import { ELICIT, hasRelatedKey, HOLD, LONG_HOLD_MS, nonce, OPTIONAL, relatedTaskId, runSideChannel, UNKNOWN_TASK_ID } from './common.js';
import { RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';

const SECTION = 'Related-task metadata';

export const R52: Check = {
  id: 'R52',
  keyword: 'MUST',
  section: SECTION,
  title: 'messages related to a task carry its id in related-task _meta',
  needs: { fixtures: [ELICIT], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('the side-channel request and the tasks/result response of one task both name that task');
    const run = await runSideChannel(ctx, ELICIT);
    const ids = run.requests.map((e) => relatedTaskId((e.message as { params?: { _meta?: unknown } }).params?._meta));
    const resultId = run.result.kind === 'result' ? relatedTaskId(run.result.result._meta) : undefined;
    ctx.see(`task ${run.task.taskId}; side-channel related ids ${JSON.stringify(ids)}; tasks/result related id ${JSON.stringify(resultId)}`);
    if (run.requests.length === 0) ctx.violation('no side-channel request arrived');
    if (ids.some((id) => id !== run.task.taskId)) ctx.violation('a side-channel request does not name the task');
    if (run.result.kind !== 'result') ctx.violation(`tasks/result: ${describe(run.result)}`);
    else if (resultId !== run.task.taskId) ctx.violation('the tasks/result response does not name the task');
  },
};

export const R53: Check = {
  id: 'R53',
  keyword: 'MUST',
  section: SECTION,
  title: 'params.taskId decides which task tasks/get and tasks/result refer to',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const a = `r53-a-${nonce()}`;
    const b = `r53-b-${nonce()}`;
    ctx.expect('tasks/get and tasks/result of A describe A, of B describe B');
    const ta = await ctx.createTask(ctx.peer, OPTIONAL, { text: a });
    const tb = await ctx.createTask(ctx.peer, OPTIONAL, { text: b });
    const ga = await ctx.getTask(ctx.peer, ta.taskId);
    const gb = await ctx.getTask(ctx.peer, tb.taskId);
    if (ga.taskId !== ta.taskId || gb.taskId !== tb.taskId) ctx.violation('tasks/get returned another task');
    const ra = await ctx.result(ctx.peer, ta.taskId, 5000);
    const rb = await ctx.result(ctx.peer, tb.taskId, 5000);
    ctx.see(`A: ${describe(ra)}; B: ${describe(rb)}`);
    if (ra.kind !== 'result' || firstText(ra.result) !== a) ctx.violation('tasks/result of A is not A\'s result');
    if (rb.kind !== 'result' || firstText(rb.result) !== b) ctx.violation('tasks/result of B is not B\'s result');
  },
};

export const R55: Check = {
  id: 'R55',
  keyword: 'MUST',
  section: SECTION,
  title: 'related-task _meta on tasks/get, tasks/result, tasks/cancel is ignored in favour of params.taskId',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const a = `r55-a-${nonce()}`;
    const ta = await ctx.createTask(ctx.peer, OPTIONAL, { text: a });
    const tb = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r55-b' });
    const metaB = { [RELATED_TASK_META_KEY]: { taskId: tb.taskId } };
    ctx.expect('answers about params.taskId whatever the related-task _meta names');
    ctx.send(`tasks/get {taskId:A, _meta: related-task B}`);
    const g = await ctx.peer.request('tasks/get', { taskId: ta.taskId, _meta: metaB }, 2000);
    ctx.see(`tasks/get: ${describe(g)}`);
    if (g.kind === 'timeout') ctx.abort('tasks/get with related-task _meta got no answer (was the response routed to the task named in _meta?)');
    if (g.kind !== 'result' || g.result.taskId !== ta.taskId) ctx.violation('tasks/get did not describe params.taskId');
    await ctx.waitTerminal(ctx.peer, ta.taskId);
    ctx.send(`tasks/result {taskId:A, _meta: related-task B}`);
    const r = await ctx.peer.request('tasks/result', { taskId: ta.taskId, _meta: metaB }, 5000);
    ctx.see(`tasks/result: ${describe(r)}`);
    if (r.kind !== 'result' || firstText(r.result) !== a) ctx.violation('tasks/result did not return params.taskId\'s result');
    ctx.send(`tasks/get {taskId:"${UNKNOWN_TASK_ID}", _meta: related-task B}`);
    const u = await ctx.get(ctx.peer, UNKNOWN_TASK_ID, { _meta: metaB });
    ctx.see(`tasks/get unknown: ${describe(u)}`);
    if (u.kind !== 'error' || u.error.code !== -32602) ctx.violation('an unknown params.taskId with a valid related-task _meta did not give -32602');
    if (ctx.server.fixtures.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      const other = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      ctx.cancelLater(ctx.peer, other.taskId);
      const c = await ctx.peer.request('tasks/cancel', { taskId: held.taskId, _meta: { [RELATED_TASK_META_KEY]: { taskId: other.taskId } } }, 5000);
      ctx.see(`tasks/cancel {taskId:H1, _meta: related-task H2}: ${describe(c)}`);
      const h2 = await ctx.getTask(ctx.peer, other.taskId);
      if (h2.status === 'cancelled') ctx.violation('tasks/cancel cancelled the task named in _meta');
      if (c.kind !== 'result' || c.result.taskId !== held.taskId) ctx.violation('tasks/cancel did not cancel params.taskId');
    }
  },
};

export const R56: Check = {
  id: 'R56',
  keyword: 'SHOULD NOT',
  section: SECTION,
  title: 'tasks/get, tasks/list and tasks/cancel results carry no related-task _meta',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('no "io.modelcontextprotocol/related-task" key in those results\' _meta');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r56' });
    const g = await ctx.get(ctx.peer, task.taskId);
    ctx.see(`tasks/get: ${describe(g)}`);
    if (g.kind === 'result' && hasRelatedKey(g.result._meta)) ctx.violation('tasks/get result has related-task _meta');
    if (ctx.server.capabilities.tasks?.list !== undefined) {
      const l = await ctx.peer.request('tasks/list', {}, ctx.requestTimeoutMs);
      ctx.see(`tasks/list _meta: ${l.kind === 'result' ? JSON.stringify(l.result._meta) : describe(l)}`);
      if (l.kind === 'result' && hasRelatedKey(l.result._meta)) ctx.violation('tasks/list result has related-task _meta');
    }
    if (ctx.server.fixtures.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      const c = await ctx.cancel(ctx.peer, held.taskId);
      ctx.see(`tasks/cancel: ${describe(c)}`);
      if (c.kind === 'result' && hasRelatedKey(c.result._meta)) ctx.violation('tasks/cancel result has related-task _meta');
    } else {
      ctx.see('tasks/cancel not checked (no hold fixture or no tasks.cancel)');
    }
  },
};

export const R60: Check = {
  id: 'R60',
  keyword: 'SHOULD NOT',
  section: SECTION,
  title: 'notifications/tasks/status carry no related-task _meta',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('params._meta of notifications/tasks/status has no related-task key');
    const since = ctx.peer.lastSeq;
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r60', delayMs: 30 });
    await ctx.waitTerminal(ctx.peer, task.taskId);
    await ctx.peer.waitFor(
      (e) => 'method' in e.message && e.message.method === 'notifications/tasks/status' && (e.message.params as { taskId?: unknown })?.taskId === task.taskId,
      800,
      since,
    );
    const notes = ctx.statusNotifications(ctx.peer, task.taskId, since);
    if (notes.length === 0) ctx.skip('the server sent no notifications/tasks/status for the task');
    ctx.see(`${notes.length} notification(s); _meta: ${notes.map((n) => JSON.stringify(n.params._meta)).join(', ')}`);
    if (notes.some((n) => hasRelatedKey(n.params._meta))) ctx.violation('a status notification carries related-task _meta');
  },
};

export const RELATED_CHECKS: Check[] = [R52, R53, R55, R56, R60];
