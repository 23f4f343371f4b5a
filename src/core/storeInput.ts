/**
 * What every `TaskStore` implementation checks the same way: its options, and the shape of the
 * statuses, status messages and outcomes it is given. Bad values give a -32602 `TaskError`
 * (options: a `RangeError`), so that custom stores answer exactly as ours do.
 */
import { ErrorCode, type Result, type Task, type TaskStatus } from '@modelcontextprotocol/sdk/types.js';
import { fromJsonRpcError, QueueFullError, TaskCancelledError, TaskError, TaskLimitError } from './errors.js';
import { isTerminal } from './status.js';
import {
  type FinishTaskInput,
  MAX_PENDING_INPUT_REQUESTS,
  type PendingInputRequest,
  DEFAULT_PAGE_SIZE,
  DEFAULT_POLL_INTERVAL,
  DEFAULT_STORE_LIMITS,
  type TaskOutcome,
  type TaskStoreLimits,
  type TaskStoreOptions,
  type TaskUpdate,
} from './taskStore.js';
import { ttlPolicy, type TtlPolicy } from './ttl.js';

/** A store's options with the defaults filled in and checked. */
export interface ResolvedStoreOptions {
  readonly ttlPolicy: TtlPolicy;
  readonly limits: Readonly<TaskStoreLimits>;
  readonly pageSize: number;
  readonly defaultPollInterval: number;
}

/** An integer option of at least `min` (default 1), else `fallback` when absent; throws a `RangeError` for anything else. */
export function integerOption(value: number | undefined, fallback: number, name: string, min = 1): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`${name} must be a ${min === 0 ? 'non-negative' : 'positive'} integer`);
  return n;
}

/** Fills in the defaults of {@link TaskStoreOptions}; throws a `RangeError` for invalid values. */
export function resolveStoreOptions(options: TaskStoreOptions = {}): ResolvedStoreOptions {
  const limits = { ...DEFAULT_STORE_LIMITS, ...options.limits };
  const defaultPollInterval = options.defaultPollInterval ?? DEFAULT_POLL_INTERVAL;
  if (!Number.isSafeInteger(defaultPollInterval) || defaultPollInterval < 0) {
    throw new RangeError('defaultPollInterval must be a non-negative integer');
  }
  return {
    ttlPolicy: ttlPolicy(options.ttl),
    limits: Object.freeze({
      maxTasks: integerOption(limits.maxTasks, 0, 'limits.maxTasks'),
      maxActiveTasksPerScope: integerOption(limits.maxActiveTasksPerScope, 0, 'limits.maxActiveTasksPerScope'),
    }),
    pageSize: integerOption(options.pageSize, DEFAULT_PAGE_SIZE, 'pageSize'),
    defaultPollInterval,
  };
}

/** A -32602 error for a value a store was given. */
export function invalidParams(message: string, data?: unknown): TaskError {
  return new TaskError(ErrorCode.InvalidParams, message, data);
}

const STATUSES: ReadonlySet<string> = new Set<TaskStatus>(['working', 'input_required', 'completed', 'failed', 'cancelled']);
const UPDATE_STATUSES: ReadonlySet<string> = new Set<TaskStatus>(['working', 'input_required', 'cancelled']);

/** Checks a status message (absent or a string). */
export function checkStatusMessage(statusMessage: unknown): void {
  if (statusMessage !== undefined && typeof statusMessage !== 'string') throw invalidParams('statusMessage must be a string');
}

/** Checks the status of `updateTask` (absent, `working`, `input_required` or `cancelled`). */
export function checkUpdateStatus(status: TaskUpdate['status'] | undefined): void {
  if (status !== undefined && !UPDATE_STATUSES.has(status)) {
    throw invalidParams(`Invalid status for updateTask: '${String(status)}' (completed and failed go through finishTask)`);
  }
}

/** Checks the status of `finishTask` (`completed` or `failed`). */
export function checkFinalStatus(status: unknown): asserts status is 'completed' | 'failed' {
  if (status !== 'completed' && status !== 'failed') {
    throw invalidParams(`Invalid final status: '${String(status)}' (expected 'completed' or 'failed')`);
  }
}

/** Checks a status of the SDK's `updateTaskStatus` (any of the five). */
export function checkStatus(status: unknown): asserts status is TaskStatus {
  if (typeof status !== 'string' || !STATUSES.has(status)) throw invalidParams(`Invalid task status: '${String(status)}'`);
}

/** Checks an outcome's shape: `{ kind: 'result', result }` or `{ kind: 'error', error: { code, message } }`. */
export function checkOutcome(outcome: unknown): TaskOutcome {
  const o = outcome as Partial<{ kind: unknown; result: unknown; error: { code?: unknown; message?: unknown } }> | null;
  if (o !== null && typeof o === 'object') {
    if (o.kind === 'result' && o.result !== null && typeof o.result === 'object') return o as TaskOutcome;
    if (o.kind === 'error' && o.error !== null && typeof o.error === 'object' && typeof o.error.code === 'number' && typeof o.error.message === 'string') {
      return o as TaskOutcome;
    }
  }
  throw invalidParams("Invalid task outcome: expected { kind: 'result', result } or { kind: 'error', error: { code, message } }");
}

/** The `pollInterval` a store records: the requested one rounded up to whole milliseconds (it is an integer on the wire), else the default. */
export function resolvePollInterval(requested: unknown, defaultPollInterval: number): number {
  return typeof requested === 'number' && Number.isFinite(requested) && requested >= 0 ? Math.ceil(requested) : defaultPollInterval;
}

/** The error for a creation beyond a limit (R89), with the same message in every store. */
export function taskLimitError(limit: 'maxTasks' | 'maxActiveTasksPerScope', max: number): TaskLimitError {
  const message =
    limit === 'maxTasks'
      ? `Too many tasks: the server holds at most ${max}`
      : `Too many active tasks: at most ${max} unfinished tasks per requestor`;
  return new TaskLimitError(limit, max, message);
}

/**
 * The SDK's `getTaskResult` from a task's status and stored outcome: the result, or the stored
 * JSON-RPC error thrown as `TaskOutcomeError`; `TaskCancelledError` for a cancelled task; -32602
 * while the task is not terminal; -32603 for a terminal task without an outcome.
 */
export function sdkTaskResult(task: Pick<Task, 'taskId' | 'status' | 'statusMessage'>, outcome: TaskOutcome | null | undefined): Result {
  const { taskId, status } = task;
  if (outcome?.kind === 'result') return outcome.result;
  if (outcome?.kind === 'error') throw fromJsonRpcError(outcome.error);
  if (status === 'cancelled') throw new TaskCancelledError(taskId);
  if (!isTerminal(status)) throw invalidParams(`Task ${taskId} has no result yet (status '${status}')`, { taskId, status });
  const detail = task.statusMessage === undefined ? '' : `: ${task.statusMessage}`;
  throw new TaskError(ErrorCode.InternalError, `Task ${taskId} ${status} without a stored result${detail}`, { taskId, status });
}

/** Checks what `updateTask` is given; returns its status and status message. */
export function checkTaskUpdate(update: TaskUpdate | undefined): TaskUpdate {
  const { status, statusMessage } = update ?? {};
  checkUpdateStatus(status);
  checkStatusMessage(statusMessage);
  return { ...(status === undefined ? {} : { status }), ...(statusMessage === undefined ? {} : { statusMessage }) };
}

/** Checks what `finishTask` is given (final status, status message, outcome). */
export function checkFinishInput(input: FinishTaskInput | undefined): FinishTaskInput {
  const { status, statusMessage } = input ?? {};
  checkFinalStatus(status);
  checkStatusMessage(statusMessage);
  const outcome = checkOutcome(input?.outcome);
  return { status, outcome, ...(statusMessage === undefined ? {} : { statusMessage }) };
}

/** Checks what the SDK's `updateTaskStatus` is given (any status, and a status message). */
export function checkStatusChange(status: unknown, statusMessage: unknown): asserts status is TaskStatus {
  checkStatus(status);
  checkStatusMessage(statusMessage);
}

/** Longest input request key a store accepts (characters). */
export const MAX_INPUT_REQUEST_KEY_LENGTH = 256;

/** Checks an input request key: a non-empty string of at most {@link MAX_INPUT_REQUEST_KEY_LENGTH} characters. */
export function checkInputRequestKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_INPUT_REQUEST_KEY_LENGTH) {
    throw invalidParams(`An input request key must be a non-empty string of at most ${MAX_INPUT_REQUEST_KEY_LENGTH} characters`);
  }
  return key;
}

/** Checks a pending input request: a method name and a params object. */
export function checkInputRequest(request: PendingInputRequest): PendingInputRequest {
  const { method, params } = (request ?? {}) as Partial<PendingInputRequest>;
  if (typeof method !== 'string' || method.length === 0) throw invalidParams('An input request needs a method');
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw invalidParams('An input request needs a params object');
  return { method, params };
}

/** The error for a task that has {@link MAX_PENDING_INPUT_REQUESTS} input requests pending already. */
export function pendingInputsFull(taskId: string): QueueFullError {
  return new QueueFullError(taskId, MAX_PENDING_INPUT_REQUESTS, 'Too many pending input requests', 'input requests');
}
