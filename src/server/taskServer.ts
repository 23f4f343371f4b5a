/**
 * `TaskServer`: the SDK's low-level `Server` with the `server.experimental.enableTasks(options?)`
 * call shape (the Python SDK's). Everything else is the SDK's `Server`.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ExperimentalServerTasks } from '@modelcontextprotocol/sdk/experimental/tasks/server.js';
import { ignoreTaskAugmentation } from '../transport/filters.js';
import type { EnableTasksOptions } from './options.js';
import { enableTasks, serverTasksOf } from './enableTasks.js';
import type { ServerTaskBinding } from './serverTaskBinding.js';

/** What `TaskServer.experimental` offers: the SDK's `tasks`, plus `enableTasks`. */
export interface TaskServerExperimental {
  /** The SDK's experimental task API (the server as a requestor of client-side tasks). */
  readonly tasks: ExperimentalServerTasks;
  /** Enables tasks on this server (see {@link enableTasks}): once, before `connect()`. */
  enableTasks(options?: EnableTasksOptions): ServerTaskBinding;
  /** The {@link ServerTaskBinding} once tasks are enabled. */
  readonly serverTasks: ServerTaskBinding | undefined;
}

/**
 * A low-level `Server` on which `server.experimental.enableTasks(options?)` turns tasks on. Without
 * it, the server does not declare `tasks.requests.tools.call` and so ignores `params.task` on
 * `tools/call` and runs the call normally (R20), which the SDK's `Server` does not do.
 */
export class TaskServer extends Server {
  #experimental: TaskServerExperimental | undefined;

  /**
   * Connects. A server without tasks enabled ignores `params.task` on `tools/call` (R20); one with
   * side-channel mode `'routed'` takes the answers to its side-channel requests off the transport.
   */
  override async connect(transport: Transport): Promise<void> {
    const tasks = serverTasksOf(this);
    if (!tasks) return super.connect(ignoreTaskAugmentation(transport));
    return super.connect(tasks.sideChannel === 'routed' ? tasks.routeResponses(transport) : transport);
  }

  override get experimental(): TaskServerExperimental {
    if (!this.#experimental) {
      const server = this;
      const tasks = super.experimental.tasks;
      this.#experimental = {
        tasks,
        enableTasks: (options?: EnableTasksOptions) => enableTasks(server, options),
        get serverTasks() {
          return serverTasksOf(server);
        },
      };
    }
    return this.#experimental;
  }
}
