/**
 * One `notifications/tasks/status` handler per peer, dispatching to the task handles that watch
 * each task id (and to whole-notification observers). The notifications only wake handles early;
 * nothing depends on them (R58, R59).
 */
import { TaskStatusNotificationSchema, type Task, type TaskStatusNotification } from '@modelcontextprotocol/sdk/types.js';
import type { NotifiablePeer, RequestPeer } from './peer.js';

type Listener = (task: Task) => void;
type Observer = (notification: TaskStatusNotification) => void | Promise<void>;

interface Registry {
  readonly byTask: Map<string, Set<Listener>>;
  readonly observers: Set<Observer>;
}

const registries = new WeakMap<object, Registry>();

function isNotifiable(peer: RequestPeer): peer is NotifiablePeer {
  return typeof (peer as Partial<NotifiablePeer>).setNotificationHandler === 'function';
}

/** The peer's registry, installing its `notifications/tasks/status` handler the first time. */
function registryOf(peer: NotifiablePeer, install: (handler: Observer) => void): Registry {
  let registry = registries.get(peer);
  if (registry !== undefined) return registry;
  const created: Registry = { byTask: new Map(), observers: new Set() };
  registry = created;
  registries.set(peer, created);
  install((notification) => {
    const { _meta: _ignored, ...task } = notification.params;
    for (const listener of [...(created.byTask.get(task.taskId) ?? [])]) {
      try {
        listener(task as Task);
      } catch {
        // a listener's failure must not stop the others
      }
    }
    for (const observer of [...created.observers]) {
      Promise.resolve()
        .then(() => observer(notification))
        .catch(() => undefined);
    }
  });
  return registry;
}

/**
 * A peer may offer this method to install the shared status handler itself (bypassing its own
 * `setNotificationHandler`, as `TaskClient` does).
 */
export const INSTALL_STATUS_HANDLER: unique symbol = Symbol('mcp-tasks.installStatusHandler');

interface SelfInstalling {
  [INSTALL_STATUS_HANDLER](handler: Observer): void;
}

function defaultInstall(peer: NotifiablePeer): (handler: Observer) => void {
  const own = (peer as Partial<SelfInstalling>)[INSTALL_STATUS_HANDLER];
  if (typeof own === 'function') return (handler) => own.call(peer, handler);
  return (handler) => peer.setNotificationHandler(TaskStatusNotificationSchema, handler);
}

/**
 * Subscribes `listener` to status notifications for `taskId` from `peer`. The first subscription on
 * a peer installs the peer's `notifications/tasks/status` handler (on a plain SDK `Client`/`Server`
 * this replaces a handler set earlier; observe them with {@link observeTaskStatus} instead —
 * `TaskClient` does that for you). Returns the unsubscribe function.
 */
export function subscribeTaskStatus(peer: RequestPeer, taskId: string, listener: Listener): () => void {
  if (!isNotifiable(peer)) return () => undefined;
  const { byTask } = registryOf(peer, defaultInstall(peer));
  let listeners = byTask.get(taskId);
  if (listeners === undefined) {
    listeners = new Set();
    byTask.set(taskId, listeners);
  }
  listeners.add(listener);
  const owned = listeners;
  return () => {
    owned.delete(listener);
    if (owned.size === 0 && byTask.get(taskId) === owned) byTask.delete(taskId);
  };
}

/**
 * Observes every `notifications/tasks/status` from `peer`, alongside the task handles. Returns the
 * function that stops observing.
 */
export function observeTaskStatus(peer: NotifiablePeer, observer: Observer): () => void {
  const { observers } = registryOf(peer, defaultInstall(peer));
  observers.add(observer);
  return () => {
    observers.delete(observer);
  };
}
