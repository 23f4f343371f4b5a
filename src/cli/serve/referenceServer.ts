/**
 * One MCP server of the reference server: a low-level SDK `Server` with tasks enabled on the
 * shared `TaskSupport`, every conformance fixture tool and the demo tools.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  enableTasks,

  type ServerRequestExtra,
  type SideChannelMode,
  type TaskSupport,
} from '../../server/index.js';
import { registerConformanceFixtures } from '../../../conformance/fixtureTools.js';
import { registerOfficialFixtures } from '../../../conformance/officialFixtures.js';
import { registerDemoTools } from './demoTools.js';
import type { McpSession } from './httpHost.js';
import { guardInvalidRequests } from './requestGuard.js';
import { relayTaskNotifications, TaskWatch, type TaskStreams } from './statelessRelay.js';
import { refuseClientRequests } from './transportWrapper.js';

export const REFERENCE_SERVER_NAME = 'mcp-tasks-reference';
export const REFERENCE_SERVER_VERSION = '0.1.0';

/** What every server of one reference-server process shares. */
export interface ReferenceSessionConfig {
  taskSupport: TaskSupport;
  /** Declare `tasks.list` (false where requestors cannot be identified, R87). */
  list: boolean;
  /** How side-channel requests reach the requestor (`standalone-stream` in JSON-response mode, F4). */
  sideChannel: SideChannelMode;
  /** Milliseconds a side-channel request may wait for its answer. Default: the runtime's. */
  sideChannelTimeout?: number;
  /** Push a waiting task's requests on the session when no `tasks/result` is open. Default: the runtime's (true). */
  pushInputRequests?: boolean;
  /**
   * Whether the transport can carry requests to the client. Default true; false for stateless
   * JSON-response mode, where sending one fails at once instead of being dropped.
   */
  clientRequests?: boolean;
  /**
   * Stateless SSE mode: the process's open `tasks/result` streams, where the notifications of the
   * tasks this server creates go; the server then stays open until those tasks have ended.
   */
  relay?: TaskStreams;
}

/** Builds one server (per session, per stateless request, or the stdio one). */
export function createReferenceSession(config: ReferenceSessionConfig): McpSession {
  const server = new Server(
    { name: REFERENCE_SERVER_NAME, version: REFERENCE_SERVER_VERSION },
    {
      capabilities: {},
      instructions:
        'Reference server of mcp-tasks (MCP tasks, 2025-11-25). Tools named tasks_conformance_* are the ' +
        'conformance fixtures; demo_report and demo_confirm are demos. Call them with params.task.',
    },
  );
  const tasks = enableTasks(server, {
    taskSupport: config.taskSupport,
    list: config.list,
    sideChannel: config.sideChannel,
    ...(config.sideChannelTimeout === undefined ? {} : { sideChannelTimeout: config.sideChannelTimeout }),
    ...(config.pushInputRequests === undefined ? {} : { pushInputRequests: config.pushInputRequests }),
  });
  registerConformanceFixtures(tasks);
  registerOfficialFixtures(tasks);
  registerDemoTools(tasks);
  const relay = config.relay;
  const watch = relay === undefined ? undefined : new TaskWatch(config.taskSupport, (taskId) => relay.ended(taskId));
  let closed: Promise<void> | undefined;
  return {
    async connect(transport) {
      let wrapped = config.clientRequests === false ? refuseClientRequests(transport) : transport;
      if (relay !== undefined && watch !== undefined) {
        wrapped = relayTaskNotifications(wrapped, relay, {
          // The runtime's own resolver, on what the transport knows of the request.
          scopeOf: (extra) =>
            tasks.resolveScope({ authInfo: extra?.authInfo, sessionId: transport.sessionId, requestInfo: extra?.requestInfo } as ServerRequestExtra),
          created: (taskId) => watch.add(taskId),
        });
      }
      // 'routed': answers to side-channel requests may reach any server; the runtime takes them.
      if (config.sideChannel === 'routed') wrapped = tasks.routeResponses(wrapped);
      await server.connect(wrapped);
      guardInvalidRequests(wrapped);
    },
    settled: watch === undefined ? undefined : () => watch.settled(),
    close() {
      closed ??= (async () => {
        watch?.stop();
        await server.close();
        await tasks.close();
      })();
      return closed;
    },
  };
}
