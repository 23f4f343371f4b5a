/**
 * R63 [schema] (tasks/list): tasks/list takes optional params and returns { tasks, nextCursor? }.
 */
import { ListTasksResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';

export const R63: Check = {
  id: 'R63',
  keyword: 'schema',
  section: 'tasks/list',
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
