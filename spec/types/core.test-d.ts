import { expectAssignable, expectError, expectType } from 'tsd';
import type { TaskStore as SdkTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import { generateTaskId } from '../../dist/src/testing/index.js';
import {
  TaskNotFoundError,
  TaskError,
  isTerminal,
  resolveTtl,
  ttlPolicy,
  toJsonRpcError,
  type JsonRpcErrorData,
  type TaskMessageQueue,
  type TaskOutcome,
  type TaskState,
  type TaskStore,
  type TaskUpdate,
} from '../../dist/src/core/index.js';

// Our TaskStore is usable wherever the SDK wants its TaskStore.
declare const store: TaskStore;
expectAssignable<SdkTaskStore>(store);
expectType<Promise<TaskState | null>>(store.getTaskState('id', 'scope'));
expectType<Promise<TaskState | null>>(store.waitForUpdate('id', 1, new AbortController().signal));
expectType<Promise<TaskOutcome | null>>(store.getTaskOutcome('id'));
expectType<Promise<Task>>(store.finishTask('id', { status: 'completed', outcome: { kind: 'result', result: {} } }));
expectError(store.finishTask('id', { status: 'working', outcome: { kind: 'result', result: {} } }));
expectError<TaskUpdate>({ status: 'completed' });
expectAssignable<TaskUpdate>({ status: 'cancelled', statusMessage: 'bye' });

declare const queue: TaskMessageQueue;
expectType<Promise<void>>(queue.waitForMessage('id'));
expectType<number>(queue.maxMessagesPerTask);

// Outcomes are a closed union.
declare const outcome: TaskOutcome;
if (outcome.kind === 'error') expectType<JsonRpcErrorData>(outcome.error);
expectError<TaskOutcome>({ kind: 'other' });

expectType<string>(generateTaskId());
expectType<boolean>(isTerminal('working'));
expectType<number | null>(resolveTtl(undefined, ttlPolicy()));
expectType<JsonRpcErrorData>(toJsonRpcError(new Error('x')));
expectType<number>(new TaskNotFoundError('x').code);
expectAssignable<TaskError>(new TaskNotFoundError('x'));
