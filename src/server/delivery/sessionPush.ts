/**
 * Requests of a task that needs its requestor's input while no `tasks/result` for it is open in
 * this process go out on the session itself: over Streamable HTTP the standalone GET stream, over
 * stdio the connection (R31 is a SHOULD: some requestors, such as `@modelcontextprotocol/ext-tasks`
 * 0.2, only poll `tasks/get`). The queue hands each request to one deliverer only, so a
 * `tasks/result` opened later takes over the rest and nothing is delivered twice; the answer goes
 * back to the task through the response channel as always.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import { pause } from '../../core/pause.js';
import type { TaskSupport } from '../../runtime/taskSupport.js';
import { standaloneStreamDelivery } from './standaloneStream.js';

/** Pushes the queued requests of one session's tasks while they wait for input and nobody fetches them. */
export class SessionPush {
  readonly #support: TaskSupport;
  readonly #server: Server;
  readonly #timeout: number;
  readonly #delay: number;
  /** Tasks whose requests are being pushed now, with the controller that stops it. */
  readonly #pushing = new Map<string, AbortController>();

  /** `delay`: how long a `tasks/result` gets to come first (ms). */
  constructor(support: TaskSupport, server: Server, options: { sideChannelTimeout: number; delay: number }) {
    this.#support = support;
    this.#server = server;
    this.#timeout = options.sideChannelTimeout;
    this.#delay = options.delay;
  }

  /** How many tasks have their requests pushed now. */
  get activeCount(): number {
    return this.#pushing.size;
  }

  /** Follows a task's status (from the session's watch): pushing runs while it is `input_required`, until `session` ends. */
  onStatus(task: Task, session: AbortSignal): void {
    const running = this.#pushing.get(task.taskId);
    if (task.status !== 'input_required') {
      running?.abort();
      return;
    }
    if (running !== undefined || session.aborted) return;
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    session.addEventListener('abort', stop, { once: true });
    this.#pushing.set(task.taskId, controller);
    void this.#push(task.taskId, controller.signal).finally(() => {
      session.removeEventListener('abort', stop);
      if (this.#pushing.get(task.taskId) === controller) this.#pushing.delete(task.taskId);
    });
  }

  /** Delivers what is queued whenever no `tasks/result` for the task is open here; waits on events, never polls. */
  async #push(taskId: string, signal: AbortSignal): Promise<void> {
    const { queue, sideChannel } = this.#support;
    const delivery = standaloneStreamDelivery(this.#server);
    try {
      await pause(this.#delay, signal);
      while (!signal.aborted) {
        if (sideChannel.isDelivering(taskId)) {
          await sideChannel.whenIdle(taskId, signal);
          continue;
        }
        await sideChannel.deliverQueued(taskId, delivery, { timeout: this.#timeout, signal });
        await queue.waitForMessage(taskId, signal);
      }
    } catch {
      // aborted (the task no longer waits, or the session ended), or the queue is closed
    }
  }
}
