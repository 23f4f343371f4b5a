/**
 * What the extension reads off one 2026-07-28 request (the v2 SDK's `ServerContext`): the client
 * capabilities its `_meta` envelope declares — whether it declares the tasks extension decides, per
 * request, whether a task may be created or followed — and the requestor's owner scope.
 */
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { CLIENT_CAPABILITIES_META_KEY, type ServerContext } from '@modelcontextprotocol/server';
import type { TaskScope } from '../core/taskStore.js';
import { principalScope } from '../runtime/principalScope.js';
import { MissingTasksExtensionError } from './errors.js';
import { TASKS_EXTENSION_ID } from './wire.js';

/** The capabilities the request declared in its envelope (`{}` when it declared none). */
export function requestCapabilities(ctx: ServerContext): ClientCapabilities & { extensions?: Record<string, unknown> } {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const declared = envelope?.[CLIENT_CAPABILITIES_META_KEY];
  return declared !== null && typeof declared === 'object' ? (declared as ClientCapabilities) : {};
}

/** Whether this request declared the tasks extension. */
export function declaresTasks(ctx: ServerContext): boolean {
  return requestCapabilities(ctx).extensions?.[TASKS_EXTENSION_ID] !== undefined;
}

/** Throws {@link MissingTasksExtensionError} (-32021) unless this request declared the extension. */
export function requireTasks(ctx: ServerContext, what: string): void {
  if (!declaresTasks(ctx)) throw new MissingTasksExtensionError(what);
}

/**
 * Resolves the owner scope of a 2026-07-28 request. There are no sessions: with an authorization
 * context the scope is the principal (`<clientId>|<sub>`, as under 2025-11-25, so a task is the same
 * task for the same user whichever revision asks); without one, anonymous (protected by the task's
 * unguessable id).
 */
export type ExtensionScopeResolver = (ctx: ServerContext) => TaskScope;

/** The default {@link ExtensionScopeResolver}. */
export const defaultExtensionScope: ExtensionScopeResolver = (ctx) => {
  const auth = ctx.http?.authInfo;
  return auth ? principalScope(auth) : undefined;
};
