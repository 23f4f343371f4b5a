/**
 * What a task created under the extension needs from it: a request to the client is delivered by
 * the store itself — it is pending there, and `tasks/get` shows it in `inputRequests` to whoever
 * polls, in any process — and answered by `tasks/update`; answers are checked with the SDK's
 * schemas; tasks carry no progress under 2026-07-28.
 */
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { TaskEvent } from '../runtime/audit.js';
import { parseAnswer } from '../runtime/answers.js';
import type { TaskContextHost } from '../runtime/taskContext.js';
import type { TaskSupport } from '../runtime/taskSupport.js';

/** The host of one extension task, created by a request that declared `capabilities`. */
export function extensionContextHost(support: TaskSupport, capabilities: ClientCapabilities, report: (event: TaskEvent) => void): TaskContextHost {
  return {
    store: support.store,
    responseChannel: support.responseChannel,
    postInputRequest: async () => {
      // pending in the store already: that is how the extension delivers it
    },
    parseAnswer,
    clientCapabilities: () => capabilities,
    reportTaskEvent: report,
  };
}
