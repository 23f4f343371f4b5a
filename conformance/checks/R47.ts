/**
 * R47 [schema] (Task fields): tasks/get result is a flat Task; CreateTaskResult wraps it in task.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { OPTIONAL } from './common.js';

export const R47: Check = {
  id: 'R47',
  keyword: 'schema',
  section: 'Task fields',
  title: 'tasks/get result is a flat Task; CreateTaskResult wraps it in task',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
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
