/**
 * Starting a task: create it (durably: the store has it when this resolves), run its work in the
 * task group, and store how the work ended. What a returned result means (`completed` or `failed`)
 * is the binding's rule (`settle`); a throw becomes `failed` with its JSON-RPC error (R50, R81);
 * a task cancelled meanwhile stays cancelled (R72).
 */
import type { Request, RequestId, Result, Task } from '@modelcontextprotocol/sdk/types.js';
import { toJsonRpcError } from '../core/errors.js';
import { INITIAL_TASK_VERSION, type FinishTaskInput, type TaskScope, type TaskStore } from '../core/taskStore.js';
import { auditFields, type TaskEvent } from './audit.js';
import { TaskAbortedError } from './errors.js';
import type { TaskGroup } from './taskGroup.js';

/** What a binding asks of {@link startTask}. */
export interface StartTaskSpec<R extends Result = Result> {
  /** The request the task runs (its method is kept with the task). */
  readonly request: Request;
  readonly requestId: RequestId;
  /** The requestor's owner scope. */
  readonly scope: TaskScope;
  /** The requested lifetime (ms; `null`: as long as allowed); the store's policy decides. */
  readonly ttl?: number | null | undefined;
  /** The `pollInterval` (ms) suggested for this task; default: the store's. */
  readonly pollInterval?: number | undefined;
  /** The work; its signal aborts on cancel, expiry, another process ending the task, or shutdown. */
  work(task: Task, signal: AbortSignal): Promise<R>;
  /** What a returned result stores (the binding's rule for its revision). */
  settle(result: R): FinishTaskInput;
}

/** What {@link startTask} works with. */
export interface TaskRunnerParts {
  readonly store: TaskStore;
  readonly group: TaskGroup;
  report(event: TaskEvent): void;
}

/** Creates the task, starts its work in the background and resolves with the created task. */
export async function startTask<R extends Result>(parts: TaskRunnerParts, spec: StartTaskSpec<R>): Promise<Task> {
  const { store, group, report } = parts;
  const { scope } = spec;
  const task = await store.createTask(
    {
      ...(spec.ttl === undefined ? {} : { ttl: spec.ttl }),
      ...(spec.pollInterval === undefined ? {} : { pollInterval: spec.pollInterval }),
    },
    spec.requestId,
    spec.request,
    scope,
  );
  report({ type: 'created', ...auditFields(task.taskId, scope), method: spec.request.method, ttl: task.ttl });
  const finish = async (input: FinishTaskInput): Promise<void> => {
    await store.finishTask(task.taskId, input, scope);
    report({ type: 'finished', ...auditFields(task.taskId, scope), status: input.status, outcome: input.outcome.kind });
  };
  const failToStart = async (error: unknown): Promise<void> => {
    const data = toJsonRpcError(error);
    const message = `The task could not start: ${data.message}`;
    await finish({ status: 'failed', outcome: { kind: 'error', error: { ...data, message } }, statusMessage: message });
  };
  try {
    group.spawn(
      task.taskId,
      INITIAL_TASK_VERSION,
      async (signal) => {
        const input = await outcomeOf(spec, task, signal);
        // Cancelled (TaskTerminalError) or expired (TaskNotFoundError) first: nothing is overwritten (R72).
        if (input !== undefined) await finish(input).catch(() => undefined);
      },
      failToStart,
    );
  } catch (error) {
    // closed while the task was being created: it must not stay `working`
    await failToStart(error).catch(() => undefined);
    throw error;
  }
  return task;
}

/** Runs the work and tells what to store; `undefined` when there is nothing to store (cancelled or gone). */
async function outcomeOf<R extends Result>(spec: StartTaskSpec<R>, task: Task, signal: AbortSignal): Promise<FinishTaskInput | undefined> {
  try {
    return spec.settle(await spec.work(task, signal));
  } catch (error) {
    const reason: unknown = signal.aborted ? signal.reason : undefined;
    if (reason instanceof TaskAbortedError && reason.reason !== 'shutdown') return undefined;
    const data = toJsonRpcError(reason instanceof TaskAbortedError ? reason : error);
    return { status: 'failed', outcome: { kind: 'error', error: data }, statusMessage: data.message };
  }
}
