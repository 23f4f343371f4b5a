/**
 * One `notifications/tasks/status` handler per peer, dispatching to the task handles that watch
 * each task id. The notifications only wake handles early; nothing depends on them (R58, R59).
 */
import { TaskStatusNotificationSchema, type Task } from '@modelcontextprotocol/sdk/types.js';
import type { NotifiablePeer, RequestPeer } from './peer.js';

type Listener = (task: Task) => void;

const registries = new WeakMap<object, Map<string, Set<Listener>>>();

function isNotifiable(peer: RequestPeer): peer is NotifiablePeer {
  return typeof (peer as Partial<NotifiablePeer>).setNotificationHandler === 'function';
}

/**
 * Subscribes `listener` to status notifications for `taskId` from `peer`. The first subscription on
 * a peer installs the peer's `notifications/tasks/status` handler (replacing any earlier one: use
 * this function to observe those notifications yourself). Returns the unsubscribe function.
 */
export function subscribeTaskStatus(peer: RequestPeer, taskId: string, listener: Listener): () => void {
  if (!isNotifiable(peer)) return () => undefined;
  let registry = registries.get(peer);
  if (registry === undefined) {
    const created = new Map<string, Set<Listener>>();
    registry = created;
    registries.set(peer, created);
    peer.setNotificationHandler(TaskStatusNotificationSchema, (notification) => {
      const { _meta: _ignored, ...task } = notification.params;
      for (const l of [...(created.get(task.taskId) ?? [])]) {
        try {
          l(task as Task);
        } catch {
          // a listener's failure must not stop the others
        }
      }
    });
  }
  let listeners = registry.get(taskId);
  if (listeners === undefined) {
    listeners = new Set();
    registry.set(taskId, listeners);
  }
  listeners.add(listener);
  const owned = listeners;
  const map = registry;
  return () => {
    owned.delete(listener);
    if (owned.size === 0 && map.get(taskId) === owned) map.delete(taskId);
  };
}
