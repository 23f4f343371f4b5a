/** Turns script replies and published task states into typed values. */
import type { Task, TaskStatus } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { TaskError } from '../../core/errors.js';
import type { PendingInputRequest, TaskOutcome, TaskState } from '../../core/taskStore.js';

/** The task hash fields a script returns and publishes, in this order (`TASK_FIELDS` of `lua/prelude.lua`). */
export const TASK_FIELDS = ['status', 'msg', 'created', 'updated', 'ttl', 'poll', 'ver', 'owner', 'exp'] as const;

/** A task as read from Redis. */
export interface StoredTask extends TaskState {
  /** The stored owner (`a` or `s:<scope>`). */
  readonly owner: string;
}

type Field = string | null | false | undefined;

function field(values: readonly unknown[], name: (typeof TASK_FIELDS)[number]): Field {
  return values[TASK_FIELDS.indexOf(name)] as Field;
}

function corrupt(taskId: string, what: string): TaskError {
  return new TaskError(ErrorCode.InternalError, `Corrupt task record ${taskId} in Redis: ${what}`);
}

function integer(taskId: string, value: Field, name: string): number {
  const n = typeof value === 'string' && value !== '' ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw corrupt(taskId, `bad ${name}`);
  return n;
}

/** Parses the task fields (in `TASK_FIELDS` order) of a script reply or a published state. */
export function parseTask(taskId: string, values: readonly unknown[]): StoredTask {
  const status = field(values, 'status');
  if (typeof status !== 'string') throw corrupt(taskId, 'no status');
  const ttlField = field(values, 'ttl');
  const task: Task = {
    taskId,
    status: status as TaskStatus,
    createdAt: new Date(integer(taskId, field(values, 'created'), 'created')).toISOString(),
    lastUpdatedAt: new Date(integer(taskId, field(values, 'updated'), 'updated')).toISOString(),
    ttl: ttlField === '' ? null : integer(taskId, ttlField, 'ttl'),
    pollInterval: integer(taskId, field(values, 'poll'), 'poll'),
  };
  const message = field(values, 'msg');
  if (typeof message === 'string') task.statusMessage = message;
  const owner = field(values, 'owner');
  return { task, version: integer(taskId, field(values, 'ver'), 'ver'), owner: typeof owner === 'string' ? owner : '' };
}

/** Parses a message published on a task's event channel: its new state, or `null` when it is gone. */
export function parseTaskEvent(taskId: string, message: string): StoredTask | null {
  if (message === '') return null;
  return parseTask(taskId, JSON.parse(message) as unknown[]);
}

/** Serializes an outcome for storage. */
export function encodeOutcome(outcome: TaskOutcome): string {
  return JSON.stringify(outcome);
}

/** Parses a stored outcome. */
export function decodeOutcome(taskId: string, json: string): TaskOutcome {
  try {
    return JSON.parse(json) as TaskOutcome;
  } catch {
    throw corrupt(taskId, 'bad outcome');
  }
}

/** Parses a stored pending input request. */
export function decodeInputRequest(taskId: string, json: string): PendingInputRequest {
  try {
    return JSON.parse(json) as PendingInputRequest;
  } catch {
    throw corrupt(taskId, 'bad input request');
  }
}
