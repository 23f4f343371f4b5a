/**
 * Authorization context and ids: R82, R84, R85, R86.
 */
import type { Check } from '../types.js';
import type { CheckContext } from '../context.js';
import { describe } from '../context.js';
import { HOLD, LONG_HOLD_MS, OPTIONAL } from './common.js';

const SECTION = 'Security';

export const R82: Check = {
  id: 'R82',
  keyword: 'MUST',
  section: SECTION,
  title: 'tasks are bound to the requestor that created them',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'], identities: 2 },
  async run(ctx: CheckContext) {
    ctx.expect('requestor A can read its task; requestor B cannot');
    const b = await ctx.openPeer('B');
    ctx.see(`second requestor made by ${ctx.server.requestors}`);
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r82' });
    await ctx.getTask(ctx.peer, task.taskId);
    const fromB = await ctx.get(b, task.taskId);
    ctx.see(`B tasks/get: ${describe(fromB)}`);
    if (fromB.kind !== 'error') ctx.violation('requestor B could read requestor A\'s task');
  },
};

export const R84: Check = {
  id: 'R84',
  keyword: 'MUST',
  section: SECTION,
  title: 'task ids are unguessable (≥ 122 random bits, not sequential)',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.send(`64 task-augmented tools/call ${OPTIONAL}`);
    ctx.expect('no collisions; each id carries at least ~122 bits (UUIDv4, 32+ hex, 22+ base64url characters) beyond any shared prefix');
    const ids: string[] = [];
    for (let i = 0; i < 64; i += 16) {
      const tasks = await Promise.all(Array.from({ length: 16 }, (_, j) => ctx.createTask(ctx.peer, OPTIONAL, { text: `r84-${i + j}` })));
      ids.push(...tasks.map((t) => t.taskId));
    }
    if (new Set(ids).size !== ids.length) ctx.violation('task id collision');
    if (ids.every((id) => /^\d+$/.test(id))) ctx.violation('task ids are decimal numbers');
    let prefix = ids[0] ?? '';
    for (const id of ids) while (!id.startsWith(prefix)) prefix = prefix.slice(0, -1);
    const sorted = [...ids].sort();
    let maxShared = 0;
    for (let i = 1; i < sorted.length; i++) {
      let n = 0;
      while (n < sorted[i]!.length && sorted[i]![n] === sorted[i - 1]![n]) n++;
      maxShared = Math.max(maxShared, n);
    }
    const bits = ids.map((id) => {
      const body = id.replace(/-/g, '');
      const perChar = /^[0-9a-fA-F]+$/.test(body) ? 4 : /^[0-9A-Za-z_-]+$/.test(body) ? (/^[0-9A-Z]+$/.test(body) ? 5 : 6) : 6;
      const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id);
      return uuidV4 ? 122 : (body.length - prefix.replace(/-/g, '').length) * perChar;
    });
    const least = Math.min(...bits);
    ctx.see(`sample ${ids.slice(0, 3).join(', ')}; common prefix ${JSON.stringify(prefix)}; longest shared prefix between neighbours ${maxShared}; estimated bits ≥ ${least}`);
    if (least < 122) ctx.violation(`ids carry about ${least} bits, fewer than 122`);
  },
};

export const R85: Check = {
  id: 'R85',
  keyword: 'MUST',
  section: SECTION,
  title: 'another requestor\'s tasks/get, tasks/result and tasks/cancel are rejected',
  needs: { fixtures: [HOLD], capabilities: ['tools.call'], identities: 2 },
  async run(ctx: CheckContext) {
    ctx.expect('errors for B (recommended -32602, like an unknown id); A\'s task is not cancelled');
    const b = await ctx.openPeer('B');
    const task = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
    ctx.cancelLater(ctx.peer, task.taskId);
    const methods = ['tasks/get', 'tasks/result', ...(ctx.server.capabilities.tasks?.cancel !== undefined ? ['tasks/cancel'] : [])];
    for (const method of methods) {
      const outcome = await b.request(method, { taskId: task.taskId }, 2000);
      ctx.see(`B ${method}: ${describe(outcome)}`);
      if (outcome.kind === 'result') ctx.violation(`${method} from requestor B succeeded`);
      else if (outcome.kind === 'timeout') ctx.violation(`${method} from requestor B was not rejected (no answer; it may be blocking on A's task)`);
      else if (outcome.kind === 'error' && outcome.error.code !== -32602) ctx.see(`(code ${outcome.error.code}; -32602 would not reveal the task exists)`);
    }
    const a = await ctx.getTask(ctx.peer, task.taskId);
    ctx.see(`A tasks/get: ${a.status}`);
    if (a.status === 'cancelled') ctx.violation('requestor B cancelled requestor A\'s task');
  },
};

export const R86: Check = {
  id: 'R86',
  keyword: 'MUST',
  section: SECTION,
  title: 'tasks/list shows only the requestor\'s own tasks',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call', 'list'], identities: 2 },
  async run(ctx: CheckContext) {
    ctx.expect('requestor B\'s tasks/list does not contain A\'s task');
    const b = await ctx.openPeer('B');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r86' });
    const { tasks } = await ctx.listAll(b);
    ctx.see(`B lists ${tasks.length} task(s)`);
    if (tasks.some((t) => t.taskId === task.taskId)) ctx.violation('requestor B\'s tasks/list contains requestor A\'s task');
  },
};

export const SECURITY_CHECKS: Check[] = [R82, R84, R85, R86];
