/**
 * The wire of the 2026-07-28 tasks extension `io.modelcontextprotocol/tasks` (SEP-2663): its id,
 * its error code, the params of `tasks/get` / `tasks/update` / `tasks/cancel`, and how a stored
 * task is written (`ttlMs`, `pollIntervalMs`; `tasks/get` inlines the status-specific payload).
 */
import { z } from 'zod';
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcErrorData } from '../core/errors.js';
import type { PendingInputRequest, TaskOutcome } from '../core/taskStore.js';

/** The extension's id, in `capabilities.extensions` of both sides. */
export const TASKS_EXTENSION_ID = 'io.modelcontextprotocol/tasks';

/** Missing Required Client Capability (2026-07-28). */
export const MISSING_CLIENT_CAPABILITY = -32021;

/** The `_meta` key of a 2025-11-25 related task, which must not appear on an inlined result. */
const RELATED_TASK_META = 'io.modelcontextprotocol/related-task';

/** What the SDK hands a `tasks/*` handler: any params object (checked after the capability gate). */
export const AnyParamsSchema = z.looseObject({});

/** `tasks/get`, `tasks/update` and `tasks/cancel` params. */
export const TaskIdParamsSchema = z.looseObject({ taskId: z.string() });

/**
 * `tasks/update`'s answers by the keys of the task's `inputRequests`. The SDK lifts
 * `params.inputResponses` off every request (as it does for multi-round-trip retries) into
 * `ctx.mcpReq.inputResponses`, so they are checked there.
 */
export const InputResponsesSchema = z.record(z.string(), z.looseObject({}));

/** A task as the extension writes it. */
export interface WireTask {
  taskId: string;
  status: Task['status'];
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number | null;
  pollIntervalMs?: number;
}

/** A `tasks/get` answer's task: the task plus what its status carries. */
export type DetailedTask = WireTask & {
  inputRequests?: Record<string, PendingInputRequest>;
  result?: Record<string, unknown>;
  error?: JsonRpcErrorData;
};

/** The stored task with the extension's field names. */
export function wireTask(task: Task): WireTask {
  return {
    taskId: task.taskId,
    status: task.status,
    ...(task.statusMessage === undefined ? {} : { statusMessage: task.statusMessage }),
    createdAt: task.createdAt,
    lastUpdatedAt: task.lastUpdatedAt,
    ttlMs: task.ttl,
    ...(task.pollInterval === undefined ? {} : { pollIntervalMs: task.pollInterval }),
  };
}

/**
 * The detailed task for `tasks/get`. A terminal task's outcome decides what is shown: a JSON-RPC
 * error is `failed` with `error`; a result is `completed` with `result` — also for a task a
 * 2025-11-25 requestor created whose tool returned `isError: true` (stored `failed` there), since
 * under the extension `failed` is only for JSON-RPC errors. The inlined result is the 2026-07-28
 * result the call would have returned (`resultType: "complete"`), without related-task `_meta`.
 */
export function detailedTask(task: Task, inputRequests: Record<string, PendingInputRequest>, outcome: TaskOutcome | null): DetailedTask {
  const wire = wireTask(task);
  if (task.status === 'input_required') return { ...wire, inputRequests };
  if (outcome?.kind === 'error') return { ...wire, status: 'failed', error: outcome.error };
  if (outcome?.kind === 'result') return { ...wire, status: 'completed', result: { ...withoutRelatedTask(outcome.result), resultType: 'complete' } };
  return wire;
}

function withoutRelatedTask(result: Record<string, unknown>): Record<string, unknown> {
  const meta = result['_meta'];
  if (meta === null || typeof meta !== 'object' || !(RELATED_TASK_META in meta)) return result;
  const { [RELATED_TASK_META]: _dropped, ...rest } = meta as Record<string, unknown>;
  const { _meta: _old, ...body } = result;
  return Object.keys(rest).length === 0 ? body : { ...body, _meta: rest };
}
