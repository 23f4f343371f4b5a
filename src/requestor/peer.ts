/**
 * The minimal view of an SDK `Protocol` (a `Client` or a `Server`) that the requestor logic needs.
 * Both `Client` and `Server` satisfy it, so the same code polls a server's tool task and a client's
 * elicitation or sampling task.
 */
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Notification, Request } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { CapabilityMissingError } from '../core/errors.js';

/** Sends one request and resolves with its validated result (`Protocol.request`). */
export interface RequestPeer {
  request<T extends z.ZodType>(request: Request, resultSchema: T, options?: RequestOptions): Promise<z.output<T>>;
}

/** A peer that can also receive notifications (for `notifications/tasks/status` wake-ups). */
export interface NotifiablePeer extends RequestPeer {
  setNotificationHandler<T extends z.ZodType>(schema: T, handler: (notification: z.output<T>) => void | Promise<void>): void;
}

/** A notification sender (`Protocol.notification`). */
export interface NotificationPeer {
  notification(notification: Notification, options?: unknown): Promise<void>;
}

/**
 * Runs `body` with a fresh `AbortSignal` linked to `signal` (none when `signal` is absent), and
 * unlinks it afterwards. The SDK adds an abort listener to every signal it is given and never
 * removes it (F9); giving it a throw-away child signal keeps a long-lived caller signal free of
 * leaked listeners.
 */
export async function withLinkedSignal<T>(signal: AbortSignal | undefined, body: (child: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (signal === undefined) return body(undefined);
  signal.throwIfAborted();
  const child = new AbortController();
  const onAbort = (): void => child.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await body(child.signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** `Protocol.request` with the caller's signal linked through {@link withLinkedSignal}. */
export function requestLinked<T extends z.ZodType>(
  peer: RequestPeer,
  request: Request,
  schema: T,
  options: RequestOptions & { signal?: AbortSignal | undefined },
): Promise<z.output<T>> {
  const { signal, ...rest } = options;
  return withLinkedSignal(signal, (child) => peer.request(request, schema, child === undefined ? rest : { ...rest, signal: child }));
}

type TasksCapability = { list?: unknown; cancel?: unknown } | undefined;

/**
 * The `tasks` capability the peer's other side declared, when the peer knows it: a `Client`'s
 * server (`getServerCapabilities`) or a `Server`'s client (`getClientCapabilities`). `undefined`
 * when the peer cannot tell (then nothing is checked).
 */
export function declaredTasksCapability(peer: RequestPeer): { known: boolean; tasks: TasksCapability } {
  const p = peer as { getServerCapabilities?: () => { tasks?: TasksCapability } | undefined; getClientCapabilities?: () => { tasks?: TasksCapability } | undefined };
  const read = p.getServerCapabilities ?? p.getClientCapabilities;
  if (typeof read !== 'function') return { known: false, tasks: undefined };
  const caps = read.call(peer);
  return caps === undefined ? { known: false, tasks: undefined } : { known: true, tasks: caps.tasks };
}

/**
 * Throws `CapabilityMissingError` (-32600) before sending `tasks/list` / `tasks/cancel` to a peer
 * known not to have declared `tasks.list` / `tasks.cancel` (R6; G8 leaves the receiver's answer open).
 */
export function assertPeerDeclares(peer: RequestPeer, leaf: 'list' | 'cancel'): void {
  const { known, tasks } = declaredTasksCapability(peer);
  const value = tasks?.[leaf];
  if (known && (value === undefined || value === null || value === false)) {
    throw new CapabilityMissingError(`The peer did not declare tasks.${leaf} (required for tasks/${leaf})`);
  }
}
