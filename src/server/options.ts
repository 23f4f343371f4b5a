/** Options of the server task runtime, and their defaults. */
import type { TaskEventListener } from '../runtime/audit.js';
import type { ScopeResolver } from './scope.js';
import type { TaskSupport } from '../runtime/taskSupport.js';

/**
 * How side-channel requests (elicitation, sampling) queued by a task reach the requestor:
 * - `'request-stream'` (default): as requests related to the open `tasks/result` request, so on
 *   Streamable HTTP they ride that POST's SSE stream (the spec's intended path);
 * - `'standalone-stream'`: as server-initiated requests of the session, so on Streamable HTTP they
 *   go out on the standalone GET SSE stream. Use this in JSON-response mode (`enableJsonResponse`),
 *   where the SDK silently drops requests written to a request stream (SDK defect F4, docs/sdk-notes.md).
 * - `'routed'`: like `'request-stream'`, but each request keeps this library's own id
 *   (`task-<taskId>-<uuid>`) and the answer is taken off the inbound messages of *any* server whose
 *   transport is wrapped with `tasks.routeResponses(transport)` (a `TaskServer` does it by itself),
 *   then published on the response channel. Use it for stateless Streamable HTTP and for several
 *   processes behind one address, where the answer arrives at another `Server` instance than the
 *   one that sent the request (the SDK's Protocol would drop it as unknown).
 * Whatever the mode, a request that is not answered within {@link EnableTasksOptions.sideChannelTimeout}
 * fails the task's `elicit()` / `createMessage()` with a clear error instead of hanging.
 */
export type SideChannelMode = 'request-stream' | 'standalone-stream' | 'routed';

/** Default: how long a delivered side-channel request may wait for the requestor's answer (10 min). */
export const DEFAULT_SIDE_CHANNEL_TIMEOUT = 600_000;

/** Default: how long a task waits for input before its requests go out on the session when no `tasks/result` is open (ms). */
export const DEFAULT_PUSH_DELAY = 100;

/** Options of {@link enableTasks}. */
export interface EnableTasksOptions {
  /** The runtime shared by every server that serves the same tasks. Default: `TaskSupport.inMemory()` (owned by this server: closed with it). */
  taskSupport?: TaskSupport;
  /**
   * Declare `tasks.list` and serve `tasks/list`. Default true. Set false where requestors cannot be
   * identified (stateless Streamable HTTP without authorization, R87).
   */
  list?: boolean;
  /** Resolves each request's owner scope. Default {@link defaultScopeResolver}. */
  scope?: ScopeResolver;
  /** Side-channel delivery mode. Default `'request-stream'`. */
  sideChannel?: SideChannelMode;
  /** Milliseconds a delivered side-channel request may wait for its answer. Default 600,000. */
  sideChannelTimeout?: number;
  /**
   * When a task of this session waits for its requestor's input and no `tasks/result` for it is
   * open in this process, send its requests on the session itself after `pushDelay` ms: the
   * standalone GET SSE stream over Streamable HTTP, the connection over stdio (for requestors
   * that only poll `tasks/get`, such as `@modelcontextprotocol/ext-tasks` 0.2). A `tasks/result`
   * opened later takes over; nothing is delivered twice. Default true; not in mode `'routed'`
   * (stateless HTTP has no session to send on). Over Streamable HTTP a pushed request reaches the
   * client only while its GET stream is open (or the transport has an `eventStore` to replay it).
   */
  pushInputRequests?: boolean;
  /** Milliseconds a `tasks/result` gets to come first before requests are pushed. Default 100. */
  pushDelay?: number;
  /** Default `pollInterval` (ms, integer) suggested in the tasks this server creates. Default: the store's (1,000). */
  pollInterval?: number;
  /**
   * Receives this server's audit events (R90), besides the `TaskSupport`'s own `onTaskEvent` hook.
   * Whatever it throws is ignored.
   */
  onTaskEvent?: TaskEventListener;
}

export { checkPollInterval } from '../runtime/pollInterval.js';
