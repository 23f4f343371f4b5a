/**
 * tasks/list: R63, R64, R65, R66, R68.
 */
import { ListTasksResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../types.js';
import type { CheckContext } from '../context.js';
import { describe } from '../context.js';
import { HOLD, LONG_HOLD_MS, OPTIONAL } from './common.js';

const SECTION = 'tasks/list';

export const R63: Check = {
  id: 'R63',
  keyword: 'schema',
  section: SECTION,
  title: 'tasks/list takes optional params and returns { tasks, nextCursor? }',
  needs: { capabilities: ['list'] },
  async run(ctx: CheckContext) {
    ctx.expect('a ListTasksResult for tasks/list without params and with {}');
    for (const params of [undefined, {}]) {
      ctx.send(`tasks/list ${params === undefined ? '(no params)' : '{}'}`);
      const outcome = await ctx.peer.request('tasks/list', params, ctx.requestTimeoutMs);
      ctx.see(describe(outcome));
      if (outcome.kind !== 'result') ctx.violation('tasks/list failed');
      else if (!ListTasksResultSchema.safeParse(outcome.result).success) ctx.violation('not a ListTasksResult');
      else if (outcome.result.nextCursor !== undefined && typeof outcome.result.nextCursor !== 'string') ctx.violation('nextCursor is not a string');
    }
  },
};

export const R64: Check = {
  id: 'R64',
  keyword: 'MUST',
  section: SECTION,
  title: 'an invalid cursor gets -32602',
  needs: { capabilities: ['list'] },
  async run(ctx: CheckContext) {
    ctx.send('tasks/list {cursor:"conformance-garbage-cursor"}');
    ctx.expect('JSON-RPC error -32602');
    const outcome = await ctx.peer.request('tasks/list', { cursor: 'conformance-garbage-cursor' }, ctx.requestTimeoutMs);
    ctx.see(describe(outcome));
    if (outcome.kind !== 'error' || outcome.error.code !== -32602) ctx.violation('an invalid cursor did not give -32602');
  },
};

export const R65: Check = {
  id: 'R65',
  keyword: 'SHOULD',
  section: SECTION,
  title: 'tasks/list pages its results (no page above 100 tasks)',
  needs: { capabilities: ['list', 'tools.call'], fixtures: [OPTIONAL] },
  async run(ctx: CheckContext) {
    ctx.send(`101 task-augmented tools/call ${OPTIONAL}, then tasks/list`);
    ctx.expect('no single page holds more than 100 tasks');
    for (let i = 0; i < 101; i += 25) {
      await Promise.all(Array.from({ length: Math.min(25, 101 - i) }, (_, j) => ctx.createTask(ctx.peer, OPTIONAL, { text: `r65-${i + j}` })));
    }
    const { pages } = await ctx.listAll(ctx.peer);
    ctx.see(`page sizes: ${pages.join(', ')}`);
    if (pages.some((n) => n > 100)) ctx.violation('a page holds more than 100 tasks');
  },
};

export const R66: Check = {
  id: 'R66',
  keyword: 'MUST',
  section: SECTION,
  title: 'following nextCursor reaches every task',
  needs: { capabilities: ['list', 'tools.call'], fixtures: [OPTIONAL] },
  async run(ctx: CheckContext) {
    ctx.send(`25 task-augmented tools/call ${OPTIONAL}, then tasks/list following nextCursor`);
    ctx.expect('the union of the pages holds all 25 tasks, each once');
    const created = await Promise.all(Array.from({ length: 25 }, (_, i) => ctx.createTask(ctx.peer, OPTIONAL, { text: `r66-${i}` })));
    const { tasks, pages } = await ctx.listAll(ctx.peer);
    const ids = tasks.map((t) => t.taskId);
    ctx.see(`page sizes ${pages.join(', ')}; ${ids.length} listed, ${new Set(ids).size} distinct`);
    const missing = created.filter((t) => !ids.includes(t.taskId));
    if (missing.length > 0) ctx.violation(`${missing.length} created task(s) never listed`);
    if (new Set(ids).size !== ids.length) ctx.violation('a task was listed twice across pages', 'warning');
  },
};

export const R68: Check = {
  id: 'R68',
  keyword: 'MUST',
  section: SECTION,
  title: 'every task tasks/get can retrieve is in tasks/list',
  needs: { capabilities: ['list', 'tools.call'], fixtures: [OPTIONAL] },
  async run(ctx: CheckContext) {
    ctx.expect('working and completed tasks that tasks/get resolves all appear in tasks/list');
    const ids: string[] = [];
    const done = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r68' });
    await ctx.waitTerminal(ctx.peer, done.taskId);
    ids.push(done.taskId);
    if (ctx.server.fixtures.has(HOLD)) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      ctx.cancelLater(ctx.peer, held.taskId);
      ids.push(held.taskId);
    }
    for (const id of ids) await ctx.getTask(ctx.peer, id);
    const { tasks } = await ctx.listAll(ctx.peer);
    const listed = new Set(tasks.map((t) => t.taskId));
    for (const id of ids) {
      ctx.see(`${id}: ${listed.has(id) ? 'listed' : 'not listed'}`);
      if (!listed.has(id)) ctx.violation(`task ${id} is retrievable with tasks/get but not in tasks/list`);
    }
  },
};

export const LISTING_CHECKS: Check[] = [R63, R64, R65, R66, R68];
