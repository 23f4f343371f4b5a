/**
 * How a 2025-11-25 task's requests to its requestor travel: into the task's message queue, with
 * related-task `_meta` (R30), for the next `tasks/result` to deliver (R31).
 */
import { RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';
import type { TaskMessageQueue } from '../core/messageQueue.js';
import type { InputRequest } from '../runtime/inputRequests.js';

/** Queues `request` for `tasks/result`, as a JSON-RPC request with this library's id. */
export async function queueInputRequest(queue: TaskMessageQueue, taskId: string, request: InputRequest): Promise<void> {
  const { id, method, params } = request;
  const meta = (params['_meta'] as Record<string, unknown> | undefined) ?? {};
  await queue.enqueue(taskId, {
    type: 'request',
    message: { jsonrpc: '2.0', id, method, params: { ...params, _meta: { ...meta, [RELATED_TASK_META_KEY]: { taskId } } } },
    timestamp: Date.now(),
  });
}
