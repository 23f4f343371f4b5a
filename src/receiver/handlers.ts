/**
 * The `tasks/*` request handlers of a 2025-11-25 receiver, registered on an SDK `Server` or
 * `Client` (both are the SDK's `Protocol`): each parses its params (bad ones get -32602, R94),
 * resolves the requestor's scope and asks the {@link TaskReceiver}.
 */
import {
  CancelTaskRequestSchema,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  ListTasksRequestSchema,
  type Result,
} from '@modelcontextprotocol/sdk/types.js';
import type { TaskScope } from '../core/taskStore.js';
import type { SideChannelDelivery } from '../runtime/sideChannel.js';
import { anyParams, parseRequest } from './parse.js';
import type { TaskReceiver } from './taskReceiver.js';

/** A request handler as the SDK's `Protocol.setRequestHandler` takes it, for a method-only schema. */
type Handler<Extra> = (request: { method: string; params?: unknown }, extra: Extra) => Promise<Result>;

/** Where the handlers go: an SDK `Server` or `Client`. */
export interface RequestHandlerHost<Extra> {
  setRequestHandler(schema: ReturnType<typeof anyParams>, handler: Handler<Extra>): void;
}

/** How the handlers see one request. */
export interface TaskRequestBinding<Extra extends { signal: AbortSignal }> {
  readonly receiver: TaskReceiver;
  /** The requestor's owner scope (R82–R86). */
  scopeOf(extra: Extra): TaskScope;
  /** Where `tasks/result` delivers the task's queued messages. */
  deliveryOf(extra: Extra): SideChannelDelivery;
  /**
   * Serve `tasks/list`: absent or false for no; else whether this requestor may list (an anonymous
   * requestor that cannot be told apart from others gets an empty list, R87).
   */
  listable?: false | ((extra: Extra) => boolean);
}

/** Registers `tasks/get`, `tasks/result`, `tasks/cancel` and (when `listable`) `tasks/list` on `host`. */
export function serveTaskRequests<Extra extends { signal: AbortSignal }>(host: RequestHandlerHost<Extra>, binding: TaskRequestBinding<Extra>): void {
  const { receiver } = binding;
  host.setRequestHandler(anyParams('tasks/get'), async (request, extra) => ({
    ...(await receiver.getTask(parseRequest(GetTaskRequestSchema, request).params.taskId, binding.scopeOf(extra))),
  }));
  // not async: the promise taskResult returns is the answer (a parse error thrown here becomes the
  // SDK's error response all the same, since the SDK calls handlers inside a promise chain)
  host.setRequestHandler(anyParams('tasks/result'), (request, extra) =>
    receiver.taskResult(parseRequest(GetTaskPayloadRequestSchema, request).params.taskId, binding.scopeOf(extra), binding.deliveryOf(extra), extra.signal),
  );
  host.setRequestHandler(anyParams('tasks/cancel'), async (request, extra) => ({
    ...(await receiver.cancelTask(parseRequest(CancelTaskRequestSchema, request).params.taskId, binding.scopeOf(extra))),
  }));
  const listable = binding.listable;
  if (listable) {
    host.setRequestHandler(anyParams('tasks/list'), async (request, extra) => {
      const cursor = parseRequest(ListTasksRequestSchema, request).params?.cursor;
      if (!listable(extra)) return { tasks: [] };
      return { ...(await receiver.listTasks(cursor, binding.scopeOf(extra))) };
    });
  }
}
