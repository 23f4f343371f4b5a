/**
 * R41 [MUST] (Task fields): every Task carries ttl (integer ms or null), and it is the ttl granted: a task
 * is still there well before its reported ttl runs out.
 */
import type { Check } from '../check.js';
import { describe, type CheckContext } from '../context.js';
import { allSightings, exercise, OPTIONAL } from './common.js';

/** The ttl asked for the early-expiry probe, and the longest wait before the probe's tasks/get (ms). */
const EARLY_EXPIRY_TTL_MS = 4_000;
const EARLY_EXPIRY_WAIT_MS = 1_500;

export const R41: Check = {
  id: 'R41',
  keyword: 'MUST',
  section: 'Task fields',
  title: 'every Task carries ttl (integer ms or null), the one granted (no expiry well before it)',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('the ttl key on every Task (create, get, list, cancel, notification), an integer or null; a task asked for 4 s still found after 1.5 s (or half its reported ttl)');
    await exercise(ctx);
    for (const s of allSightings(ctx)) {
      if (s.task.ttl !== null && !Number.isInteger(s.task.ttl)) ctx.violation(`${s.source}: ttl ${s.task.ttl} is not an integer`);
    }
    ctx.see(`ttl values: ${[...new Set(allSightings(ctx).map((s) => String(s.task.ttl)))].join(', ')}`);
    // the reported ttl is the one granted: the task is still there well before it runs out
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r41' }, { task: { ttl: EARLY_EXPIRY_TTL_MS } });
    const wait = task.ttl === null ? EARLY_EXPIRY_WAIT_MS : Math.min(EARLY_EXPIRY_WAIT_MS, Math.floor(task.ttl / 2));
    await new Promise((r) => setTimeout(r, wait));
    const later = await ctx.get(ctx.peer, task.taskId);
    ctx.see(`created with ttl ${String(task.ttl)}; tasks/get ${wait} ms later: ${describe(later)}`);
    if (later.kind === 'error' && later.error.code === -32602) ctx.violation(`the task was gone ${wait} ms after its creation although its reported ttl is ${String(task.ttl)} ms`);
  },
};
