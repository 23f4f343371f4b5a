/**
 * R43 [MAY] (Task fields): pollInterval, when present, is a non-negative integer.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { allSightings, exercise, OPTIONAL } from './common.js';

export const R43: Check = {
  id: 'R43',
  keyword: 'MAY',
  section: 'Task fields',
  title: 'pollInterval, when present, is a non-negative integer',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
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
