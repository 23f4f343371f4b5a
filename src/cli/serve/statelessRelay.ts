/**
 * Stateless Streamable HTTP: where a task's notifications can go.
 *
 * Without sessions there is no standalone GET stream, and the POST that created a task closes with
 * its `CreateTaskResult`. The only stream that stays open while a task runs is the SSE stream of a
 * `tasks/result` request for it. The runtime sends a task's `notifications/progress` (with the
 * request's progress token, R61) and `notifications/tasks/status` through the server that created
 * it (or, for a cancellation, the one that cancelled it) as server-level notifications, which a
 * stateless transport drops. So, in stateless SSE mode, the reference server:
 *
 * - keeps the server whose POST created a task until that task has ended (see {@link TaskWatch});
 * - wraps every server's transport ({@link relayTaskNotifications}) so that such notifications go
 *   to the `tasks/result` streams open for that task in this process ({@link TaskStreams}); while
 *   none is open, the last {@link MAX_BACKLOG} are kept and sent, in order, when one opens, and
 *   dropped once the task has ended (so no progress arrives after a task was seen terminal, R62).
 *
 * Only streams of this process are reached: with several processes behind one address, a
 * `tasks/result` served by another process than the one running the task gets no notifications.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCNotification,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type MessageExtraInfo,
  type ProgressToken,
} from '@modelcontextprotocol/sdk/types.js';
import type { TaskScope } from '../../core/taskStore.js';
import type { TaskSupport } from '../../server/index.js';
import { TransportProxy } from '../../transport/transportProxy.js';

/** Most notifications kept per task while no `tasks/result` stream is open for it. */
export const MAX_BACKLOG = 32;

type Send = (message: JSONRPCNotification) => Promise<void>;

interface TaskStream {
  readonly scope: TaskScope;
  readonly send: Send;
}

/**
 * The open `tasks/result` streams of this process, per task, and the notifications waiting for one.
 * A task's notifications only go to streams of requestors of its owner scope (R85): the owner is
 * recorded when this process creates the task, and the notifications of tasks created elsewhere
 * are dropped.
 */
export class TaskStreams {
  readonly #owners = new Map<string, TaskScope>();
  readonly #streams = new Map<string, Set<TaskStream>>();
  readonly #backlog = new Map<string, JSONRPCNotification[]>();

  /** This process created `taskId` for `scope`. */
  created(taskId: string, scope: TaskScope): void {
    this.#owners.set(taskId, scope);
  }

  /**
   * Registers an open stream of a requestor of `scope` for `taskId` (sending it the backlog first
   * when it belongs to the owner); returns its removal.
   */
  open(taskId: string, scope: TaskScope, send: Send): () => void {
    const stream: TaskStream = { scope, send };
    let streams = this.#streams.get(taskId);
    if (streams === undefined) this.#streams.set(taskId, (streams = new Set()));
    streams.add(stream);
    if (this.#isOwner(taskId, scope)) {
      const backlog = this.#backlog.get(taskId) ?? [];
      this.#backlog.delete(taskId);
      for (const message of backlog) send(message).catch(() => undefined);
    }
    return () => {
      streams.delete(stream);
      if (streams.size === 0 && this.#streams.get(taskId) === streams) this.#streams.delete(taskId);
    };
  }

  /**
   * Sends a notification about `taskId` to its owner's open streams, or keeps it for the next one.
   * Returns false (and does nothing) when the task was not created by this process.
   */
  deliver(taskId: string, message: JSONRPCNotification): boolean {
    if (!this.#owners.has(taskId)) return false;
    const streams = [...(this.#streams.get(taskId) ?? [])].filter((stream) => this.#isOwner(taskId, stream.scope));
    if (streams.length > 0) {
      for (const stream of streams) stream.send(message).catch(() => undefined);
      return true;
    }
    const backlog = this.#backlog.get(taskId) ?? [];
    backlog.push(message);
    if (backlog.length > MAX_BACKLOG) backlog.shift();
    this.#backlog.set(taskId, backlog);
    return true;
  }

  /** The task has ended: what is still kept for it is dropped. */
  ended(taskId: string): void {
    this.#owners.delete(taskId);
    this.#backlog.delete(taskId);
  }

  /** How many tasks of this process are followed, and how many have notifications waiting (tests). */
  get size(): { tasks: number; backlogs: number } {
    return { tasks: this.#owners.size, backlogs: this.#backlog.size };
  }

  #isOwner(taskId: string, scope: TaskScope): boolean {
    return this.#owners.has(taskId) && this.#owners.get(taskId) === scope;
  }
}

/** What {@link relayTaskNotifications} needs from the server it wraps. */
export interface RelayHooks {
  /** The owner scope of an inbound request (the runtime's resolver). */
  scopeOf(extra: MessageExtraInfo | undefined): TaskScope;
  /** This server answered a `tools/call` with a `CreateTaskResult`. */
  created(taskId: string): void;
}

/**
 * Wraps one stateless server's transport: an inbound `tasks/result` request opens a stream for its
 * task (until its response is sent); outbound progress and status notifications that are not
 * related to a request of this transport go to the task's streams.
 */
export function relayTaskNotifications(transport: Transport, streams: TaskStreams, hooks: RelayHooks): Transport {
  /** Open `tasks/result` requests of this transport: request id → removal of its stream. */
  const open = new Map<string | number, () => void>();
  /** `tools/call` requests with a task, by request id: the requestor's scope and progress token. */
  const pendingCalls = new Map<string | number, { scope: TaskScope; token: ProgressToken | undefined }>();
  /** Progress token → task, for the tasks this server created. */
  const tokens = new Map<ProgressToken, string>();
  /**
   * Notifications sent while a task-creating `tools/call` was still unanswered: the task's work
   * starts before its `CreateTaskResult` is sent, so its first notifications can come first.
   */
  let early: JSONRPCNotification[] = [];

  return new TransportProxy(transport, {
    inbound(message, extra) {
      if (!('method' in message) || !('id' in message)) return message;
      const params = (message.params ?? {}) as Record<string, unknown>;
      if (message.method === 'tasks/result' && typeof params['taskId'] === 'string') {
        const id = message.id;
        open.get(id)?.();
        open.set(id, streams.open(params['taskId'], hooks.scopeOf(extra), (note) => transport.send(note, { relatedRequestId: id })));
      } else if (message.method === 'tools/call' && params['task'] !== undefined) {
        const token = (params['_meta'] as { progressToken?: unknown } | undefined)?.progressToken;
        pendingCalls.set(message.id, {
          scope: hooks.scopeOf(extra),
          token: typeof token === 'string' || typeof token === 'number' ? token : undefined,
        });
      }
      return message;
    },
    send(message, options, send) {
      if ('id' in message && !('method' in message) && message.id !== undefined) {
        // A response: the stream it ends carries nothing more.
        const id = message.id;
        open.get(id)?.();
        open.delete(id);
        const taskId = createdTaskId(message);
        const call = pendingCalls.get(id);
        pendingCalls.delete(id);
        if (taskId !== undefined && call !== undefined) {
          if (call.token !== undefined) tokens.set(call.token, taskId);
          streams.created(taskId, call.scope);
          hooks.created(taskId);
          early = early.filter((note) => notifiedTaskId(note, tokens) !== taskId || !streams.deliver(taskId, note));
        }
        if (pendingCalls.size === 0) early = [];
        return send(message, options);
      }
      if (isJSONRPCNotification(message) && options?.relatedRequestId === undefined) {
        const taskId = notifiedTaskId(message, tokens);
        if (taskId !== undefined && streams.deliver(taskId, message)) return Promise.resolve();
        if (pendingCalls.size > 0 && isTaskNotification(message)) {
          early.push(message);
          if (early.length > MAX_BACKLOG) early.shift();
          return Promise.resolve();
        }
      }
      return send(message, options);
    },
    closed() {
      for (const remove of open.values()) remove();
      open.clear();
    },
  });
}

/** The task id of a `CreateTaskResult` response. */
function createdTaskId(message: JSONRPCMessage): string | undefined {
  const result = (message as { result?: { task?: { taskId?: unknown } } }).result;
  const taskId = result?.task?.taskId;
  return typeof taskId === 'string' ? taskId : undefined;
}

/** Whether a notification is a kind this relay routes (progress, task status). */
function isTaskNotification(message: JSONRPCNotification): boolean {
  return message.method === 'notifications/progress' || message.method === 'notifications/tasks/status';
}

/** The task a server-level notification is about: status by its `taskId`, progress by its token. */
function notifiedTaskId(message: JSONRPCMessage, tokens: ReadonlyMap<ProgressToken, string>): string | undefined {
  if (!('method' in message)) return undefined;
  const params = (message.params ?? {}) as Record<string, unknown>;
  if (message.method === 'notifications/tasks/status' && typeof params['taskId'] === 'string') return params['taskId'];
  if (message.method === 'notifications/progress') {
    const token = params['progressToken'];
    if (typeof token === 'string' || typeof token === 'number') return tokens.get(token);
  }
  return undefined;
}

/** Follows the tasks a server created until each has ended (terminal, expired or deleted), with the runtime's store watch. */
export class TaskWatch {
  readonly #support: TaskSupport;
  readonly #onEnded: (taskId: string) => void;
  readonly #stop = new AbortController();
  readonly #watching: Promise<void>[] = [];

  constructor(support: TaskSupport, onEnded: (taskId: string) => void) {
    this.#support = support;
    this.#onEnded = onEnded;
  }

  /** Starts following `taskId`. */
  add(taskId: string): void {
    const taskEnded = this.#support.watchTask(taskId, 0, () => undefined, this.#stop.signal);
    this.#watching.push(taskEnded.then(() => this.#onEnded(taskId)));
  }

  /** Resolves once every followed task has ended, or {@link stop} was called. */
  async settled(): Promise<void> {
    await Promise.all(this.#watching);
  }

  /** Stops following (the server is closing). */
  stop(): void {
    this.#stop.abort();
  }
}
