/**
 * Starting a task: create it (durably: the store has it when this resolves), run its work in the
 * task group, and store how the work ended. What a returned result means (`completed` or `failed`)
 * is the binding's rule (`settle`); a throw becomes `failed` with its JSON-RPC error (R50, R81);
 * a task cancelled meanwhile stays cancelled (R72).
 */
import { ErrorCode, type Request, type RequestId, type Result, type Task } from '@modelcontextprotocol/sdk/types.js';
import { StoreClosedError, StoreUnavailableError, TaskNotFoundError, TaskTerminalError, toJsonRpcError } from '../core/errors.js';
import { pause } from '../core/pause.js';
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
  /** Aborted once the runtime stops for good: outcome writes that keep failing give up then. */
  readonly stopping: AbortSignal;
  /** Receives the audit events; absent when nobody listens (then none is built). */
  readonly report?: ((event: TaskEvent) => void) | undefined;
}

/** First pause before an outcome write that failed because the store was unreachable is tried again (ms). */
const FIRST_WRITE_RETRY = 100;
/** Longest pause between such attempts (ms). */
const MAX_WRITE_RETRY = 5_000;

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
  report?.({ type: 'created', ...auditFields(task.taskId, scope), method: spec.request.method, ttl: task.ttl });
  const expiresAt = task.ttl === null ? null : Date.parse(task.createdAt) + task.ttl;
  /**
   * Stores how the task ended. While the store is unreachable (`StoreUnavailableError`) the write is
   * tried again, backing off, until it lands — the task keeps its lease meanwhile — or the task's ttl
   * has passed or the runtime stops (then the lease lapses and the orphan check fails the task).
   * Refusals are final: a task cancelled or gone first keeps its state (R72).
   */
  const finish = async (input: FinishTaskInput): Promise<void> => {
    for (let delay = FIRST_WRITE_RETRY; ; delay = Math.min(delay * 2, MAX_WRITE_RETRY)) {
      try {
        await store.finishTask(task.taskId, input, scope);
        report?.({ type: 'finished', ...auditFields(task.taskId, scope), status: input.status, outcome: input.outcome.kind });
        return;
      } catch (error) {
        const retry = error instanceof StoreUnavailableError && !parts.stopping.aborted && (expiresAt === null || Date.now() < expiresAt);
        if (!retry) throw error;
      }
      await pause(delay, parts.stopping);
    }
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
      async (signal, settling) => {
        const input = await outcomeOf(spec, task, signal);
        // the work has ended: its own completion, coming back from the store, must not abort it
        settling();
        if (input !== undefined) await finish(input).catch((error: unknown) => storeRefusal(error, finish));
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

/**
 * After the store refused an outcome: a task cancelled or gone first keeps its state (R72), and a
 * closed or unreachable store leaves the task to the lease; any other refusal (an outcome the store
 * cannot hold) fails the task with that error instead of leaving it running.
 */
async function storeRefusal(error: unknown, finish: (input: FinishTaskInput) => Promise<void>): Promise<void> {
  if (error instanceof TaskTerminalError || error instanceof TaskNotFoundError || error instanceof StoreClosedError || error instanceof StoreUnavailableError) {
    return;
  }
  const data = toJsonRpcError(error);
  const message = `The task's outcome could not be stored: ${data.message}`;
  await finish({ status: 'failed', outcome: { kind: 'error', error: { code: ErrorCode.InternalError, message } }, statusMessage: message }).catch(() => undefined);
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
