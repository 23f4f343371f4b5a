/**
 * What `tasks/result` answers for a terminal task (R48–R51): the stored result with related-task
 * `_meta`, or the stored JSON-RPC error; a cancelled task has none (-32602, G3); a task that ended
 * without a stored outcome says so (-32603).
 */
import { ErrorCode, RELATED_TASK_META_KEY, type Result, type Task } from '@modelcontextprotocol/sdk/types.js';
import { TaskCancelledError, TaskOutcomeError, fromJsonRpcError } from '../core/errors.js';
import type { TaskScope, TaskStore } from '../core/taskStore.js';

/** The `tasks/result` answer for a terminal `task`; throws the error to answer with. */
export async function terminalPayload(store: TaskStore, task: Task, scope: TaskScope): Promise<Result> {
  const { taskId, status, statusMessage } = task;
  const outcome = await store.getTaskOutcome(taskId, scope);
  if (outcome === null) {
    if (status === 'cancelled') throw new TaskCancelledError(taskId);
    throw new TaskOutcomeError(
      ErrorCode.InternalError,
      `Task ${taskId} ${status === 'failed' ? 'failed' : 'ended'} without a stored result${statusMessage ? `: ${statusMessage}` : ''}`,
      { taskId, status },
    );
  }
  if (outcome.kind === 'error') throw fromJsonRpcError(outcome.error);
  const result = outcome.result;
  return { ...result, _meta: { ...result._meta, [RELATED_TASK_META_KEY]: { taskId } } };
}
