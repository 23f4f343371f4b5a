/**
 * R39 [MUST] (Task fields): lastUpdatedAt is an RFC 3339 timestamp, ≥ createdAt, never going back, and it
 * moves when the status changes (the task of `exercise` completes 80 ms after its creation).
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { exercise, EXERCISE_DELAY_MS, OPTIONAL, RFC3339 } from './common.js';

export const R39: Check = {
  id: 'R39',
  keyword: 'MUST',
  section: 'Task fields',
  title: 'lastUpdatedAt is an RFC 3339 timestamp, ≥ createdAt, never going back, and moves with a status change',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect(`lastUpdatedAt parses, is not before createdAt, does not decrease across polls, and is later once the task completed ${EXERCISE_DELAY_MS} ms after its creation`);
    const { delayed } = await exercise(ctx);
    const seen = (ctx.sightings.get(delayed.taskId) ?? []).filter((s) => s.source !== 'notification');
    const done = seen.filter((s) => s.task.status !== 'working').at(-1);
    if (done !== undefined && Date.parse(done.task.lastUpdatedAt) <= Date.parse(delayed.lastUpdatedAt)) {
      ctx.violation(`task ${delayed.taskId}: lastUpdatedAt stayed ${delayed.lastUpdatedAt} when the status changed to ${done.task.status} ${EXERCISE_DELAY_MS} ms later`);
    }
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
