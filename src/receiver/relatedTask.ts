/**
 * Related-task `_meta` on answers to side-channel requests (R33): when a server's request carries
 * `_meta["io.modelcontextprotocol/related-task"]`, the answer carries the same key.
 */
import { RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';

/** The related task id of a request, if its `params._meta` names one. */
export function relatedTaskId(request: { params?: unknown }): string | undefined {
  const params = request.params as { _meta?: Record<string, unknown> } | undefined;
  const related = params?._meta?.[RELATED_TASK_META_KEY] as { taskId?: unknown } | undefined;
  return typeof related?.taskId === 'string' ? related.taskId : undefined;
}

/**
 * Returns `result` with the request's related-task `_meta` added (unchanged when the request names
 * no task, for `tasks/*` methods, or when the result is a `CreateTaskResult`).
 */
export function withRelatedTaskMeta<R>(request: { method: string; params?: unknown }, result: R): R {
  const taskId = relatedTaskId(request);
  if (taskId === undefined || request.method.startsWith('tasks/')) return result;
  return addRelatedTaskMeta(result, taskId);
}

/** `result` with related-task `_meta` for `taskId` (unchanged when it is a `CreateTaskResult` or not an object). */
export function addRelatedTaskMeta<R>(result: R, taskId: string): R {
  if (typeof result !== 'object' || result === null || 'task' in result) return result;
  const meta = (result as { _meta?: Record<string, unknown> })._meta ?? {};
  return { ...result, _meta: { ...meta, [RELATED_TASK_META_KEY]: { taskId } } };
}

/** Wraps a request handler so that its answers carry the related-task `_meta` (R33). */
export function relatedTaskHandler<Q extends { method: string; params?: unknown }, X, R>(
  handler: (request: Q, extra: X) => R | Promise<R>,
): (request: Q, extra: X) => Promise<R> {
  return async (request, extra) => withRelatedTaskMeta(request, await handler(request, extra));
}
