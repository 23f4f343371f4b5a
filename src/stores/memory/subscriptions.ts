/**
 * The subscribers of an in-memory store's tasks (`TaskStore.subscribe`): a set per task, each
 * handed every change in a microtask, in order. A subscription costs one entry, not a promise, a
 * waiter and an abort listener per change.
 */
import type { TaskState, TaskSubscriber } from '../../core/taskStore.js';

/** One subscription; `active` turns false when it is cancelled (calls already queued are then dropped). */
interface Subscription {
  readonly subscriber: TaskSubscriber;
  active: boolean;
}

/** Subscribers by task id. */
export class TaskSubscriptions {
  readonly #byTask = new Map<string, Set<Subscription>>();

  /** Subscribes to the task's changes; returns how to unsubscribe (idempotent). */
  add(taskId: string, subscriber: TaskSubscriber): { readonly subscription: Subscription; readonly unsubscribe: () => void } {
    const subscription: Subscription = { subscriber, active: true };
    let set = this.#byTask.get(taskId);
    if (set === undefined) {
      set = new Set();
      this.#byTask.set(taskId, set);
    }
    set.add(subscription);
    const unsubscribe = (): void => {
      if (!subscription.active) return;
      subscription.active = false;
      const current = this.#byTask.get(taskId);
      if (current !== undefined && current.delete(subscription) && current.size === 0) this.#byTask.delete(taskId);
    };
    return { subscription, unsubscribe };
  }

  /**
   * Hands `state` to every subscriber of the task, in a microtask. `null` (the task is gone) is the
   * last state there is: the task's subscribers are forgotten after it.
   */
  publish(taskId: string, state: TaskState | null): void {
    const set = this.#byTask.get(taskId);
    if (set === undefined) return;
    for (const subscription of set) deliver(subscription, state);
    if (state === null) this.#byTask.delete(taskId);
  }

  /** Tells every subscriber that the store closed (in a microtask) and forgets them all. */
  close(): void {
    for (const set of this.#byTask.values()) {
      for (const subscription of set) {
        queueMicrotask(() => {
          if (!subscription.active) return;
          subscription.active = false;
          subscription.subscriber.onClose();
        });
      }
    }
    this.#byTask.clear();
  }

  /** How many subscriptions are active (all tasks). */
  get size(): number {
    let n = 0;
    for (const set of this.#byTask.values()) n += set.size;
    return n;
  }
}

/** Tells `subscriber` of a task that is gone (in a microtask); returns how to cancel that. */
export function gone(subscriber: TaskSubscriber): () => void {
  const subscription: Subscription = { subscriber, active: true };
  deliver(subscription, null);
  return () => {
    subscription.active = false;
  };
}

/** Hands one state to one subscription in a microtask, unless it has been cancelled by then. */
export function deliver(subscription: Subscription, state: TaskState | null): void {
  queueMicrotask(() => {
    if (subscription.active) subscription.subscriber.onState(state);
  });
}
