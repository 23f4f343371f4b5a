/**
 * What a task run by a 2025-11-25 server needs from that server: its requests to the client go to
 * the task's queue (for `tasks/result`), progress goes out as `notifications/progress`, answers are
 * checked with the SDK's schemas.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { queueInputRequest } from '../receiver/queueInputRequest.js';
import type { TaskEvent } from '../runtime/audit.js';
import type { TaskContextHost } from '../runtime/taskContext.js';
import type { TaskSupport } from '../runtime/taskSupport.js';
import { parseAnswer } from '../runtime/answers.js';

/** The host of the task contexts of `server`'s tasks. */
export function serverContextHost(server: Server, support: TaskSupport, report: (event: TaskEvent) => void): TaskContextHost {
  return {
    store: support.store,
    responseChannel: support.responseChannel,
    postInputRequest: (taskId, request) => queueInputRequest(support.queue, taskId, request),
    parseAnswer,
    sendProgress: async (params) => {
      await server.notification({ method: 'notifications/progress', params }).catch(() => undefined);
    },
    clientCapabilities: () => server.getClientCapabilities(),
    reportTaskEvent: report,
  };
}
