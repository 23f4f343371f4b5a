/**
 * Task scope: which owner a task belongs to (R82–R86). The runtime resolves it from each request's
 * `extra` and passes it to every store call, so a task is only visible to its owner.
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { TaskScope } from '../core/taskStore.js';
import { principalScope } from '../runtime/principalScope.js';

/** The `extra` a request handler of a low-level `Server` receives. */
export type ServerRequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Resolves the owner scope of a request. Returning `undefined` means "anonymous": the task is
 * reachable by anyone who knows its (unguessable, 128-bit) id, and `tasks/list` returns nothing.
 */
export type ScopeResolver = (extra: ServerRequestExtra) => TaskScope;

/**
 * The default resolver: with an authorization context (`extra.authInfo`), the scope is
 * `<clientId>|<sub>` (`sub` from `authInfo.extra.sub` when the token has one, else empty), so tasks
 * follow the authenticated principal across sessions (R82). Without one, the transport session id
 * (tasks follow the session). Without either (stdio and in-memory transports have no session id;
 * stateless Streamable HTTP), anonymous: one shared scope whose tasks are protected only by their
 * unguessable ids (R83, R84). Session ids never contain `|`, so the two kinds cannot collide.
 */
export const defaultScopeResolver: ScopeResolver = (extra) => {
  if (extra.authInfo) return principalScope(extra.authInfo);
  if (extra.sessionId !== undefined) return extra.sessionId;
  return undefined;
};
