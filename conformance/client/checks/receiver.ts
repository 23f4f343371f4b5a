/** Readings of the client-receiver scenario: the probes the server made of the task the client hosted. */
import type { ClientCheckContext } from '../context.js';
import type { Probe } from '../trace.js';
import { requireConnected } from './common.js';

/** Ends the check as a skip unless the client hosts elicitation tasks and created one. */
export function hostedTask(ctx: ClientCheckContext): { taskId: string; probe(what: string): Probe | undefined } {
  requireConnected(ctx);
  if (!ctx.capabilities.tasks?.requests?.elicitation?.create) ctx.skip('the client does not declare tasks.requests.elicitation.create (it hosts no tasks)');
  const probe = (what: string): Probe | undefined => ctx.trace.probes.find((p) => p.what === what);
  const created = probe('elicitation/create {task}');
  if (!created) ctx.skip('the client never called the tool that asks through a task');
  const task = created.result?.task as { taskId?: unknown } | undefined;
  if (typeof task?.taskId !== 'string') ctx.skip(`the task-augmented elicitation/create gave no task: ${JSON.stringify(created.result ?? created.error)}`);
  return { taskId: task.taskId, probe };
}

/** Shows a probe's answer. */
export function shown(probe: Probe | undefined): string {
  if (!probe) return 'not sent';
  return probe.error ? `error ${probe.error.code} ${JSON.stringify(probe.error.message)}` : `result ${JSON.stringify(probe.result).slice(0, 240)}`;
}
