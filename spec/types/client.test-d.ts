import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type {
  CallToolResult,
  CreateMessageResult,
  CreateMessageResultWithTools,
  CreateTaskResult,
  ElicitResult,
  ListTasksResult,
  Task,
} from '@modelcontextprotocol/sdk/types.js';
import {
  TaskClient,
  TaskWaitTimeoutError,
  callToolAsTask,
  enableClientTasks,
  listAllTasks,
  listTasks,
  type ClientTaskHost,
  type CreatedTaskHandle,
  type ImmediateTaskHandle,
  type RequestPeer,
  type TaskHandle,
  type ToolTask,
  type WaitOptions,
} from '../../dist/src/client/index.js';
import { TaskError } from '../../dist/src/core/index.js';
import { createMessageAsTask, elicitAsTask } from '../../dist/src/server/index.js';

declare const client: Client;
declare const server: Server;
declare const task: ToolTask;

// Both SDK peers are request peers; callToolAsTask works on any Client.
expectAssignable<RequestPeer>(client);
expectAssignable<RequestPeer>(server);
expectType<Promise<ToolTask>>(callToolAsTask(client, 'tool', { a: 1 }, { ttl: 1000, taskSupport: 'optional' }));
expectError(callToolAsTask(client, 'tool', {}, { taskSupport: 'sometimes' }));

// The handle.
expectType<ToolTask>(task);
expectAssignable<TaskHandle<CallToolResult>>(task);
expectType<boolean>(task.returnedImmediately);
expectType<string | undefined>(task.taskId);
expectType<Task>(task.task);
expectType<Promise<Task>>(task.status());
expectType<Promise<Task>>(task.wait());
expectType<Promise<Task>>(task.wait({ state: 'input_required', timeout: 1000, signal: new AbortController().signal }));
expectType<Promise<Task>>(task.wait({ state: ['completed', 'failed'] }));
expectError(task.wait({ state: 'done' }));
expectType<Promise<CallToolResult>>(task.result());
expectType<Promise<CallToolResult>>(task.result({ timeout: 5 }));
expectType<Promise<Task>>(task.cancel());
expectType<() => void>(task.onStatusChange((t) => expectType<Task>(t)));
expectType<AsyncIterator<Task>>(task[Symbol.asyncIterator]());
expectAssignable<WaitOptions>({ state: 'working' });

// Narrowing on returnedImmediately gives the task id.
if (task.returnedImmediately) {
  expectType<ImmediateTaskHandle<CallToolResult>>(task);
  expectType<undefined>(task.taskId);
} else {
  expectType<CreatedTaskHandle<CallToolResult>>(task);
  expectType<string>(task.taskId);
  expectType<CreateTaskResult>(task.createResult);
}

// Errors.
expectAssignable<TaskError>(new TaskWaitTimeoutError('id', 10));
expectType<number>(new TaskWaitTimeoutError(undefined, 10).timeout);

// Listing.
expectType<Promise<ListTasksResult>>(listTasks(client, 'cursor'));
expectType<AsyncGenerator<Task>>(listAllTasks(client));

// Server-side requestors.
expectType<Promise<TaskHandle<ElicitResult>>>(
  elicitAsTask(server, { mode: 'form', message: 'm', requestedSchema: { type: 'object', properties: {} } }, { ttl: 1 }),
);
expectType<Promise<TaskHandle<CreateMessageResult | CreateMessageResultWithTools>>>(
  createMessageAsTask(server, { messages: [], maxTokens: 1 }, { requireTask: true }),
);
expectError(elicitAsTask(server, { mode: 'form', message: 'm', requestedSchema: { type: 'object', properties: {} }, task: {} }));

// TaskClient: an SDK Client with a task-aware experimental surface.
const taskClient = new TaskClient({ name: 'c', version: '1' });
expectAssignable<Client>(taskClient);
expectType<Promise<ToolTask>>(taskClient.experimental.callToolAsTask('tool'));
expectAssignable<Client['experimental']['tasks']>(taskClient.experimental.tasks);
expectType<ClientTaskHost>(
  taskClient.experimental.enableTasks({ elicitation: async (_request, ctx) => {
    expectType<AbortSignal>(ctx.signal);
    expectType<string | undefined>(ctx.taskId);
    return { action: 'accept' };
  } }),
);
expectType<ClientTaskHost>(enableClientTasks(client, { sampling: async () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: '' } }) }));
expectError(taskClient.experimental.enableTasks({ elicitation: async () => ({ action: 'maybe' }) }));
expectNotAssignable<ElicitResult>({ action: 'maybe' });
