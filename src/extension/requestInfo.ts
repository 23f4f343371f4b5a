/**
 * What the extension reads off one 2026-07-28 request (the v2 SDK's `ServerContext`): the client
 * capabilities its `_meta` envelope declares — whether it declares the tasks extension decides, per
 * request, whether a task may be created or followed — and the requestor's owner scope.
 */
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { CLIENT_CAPABILITIES_META_KEY, type AuthInfo, type ServerContext } from '@modelcontextprotocol/server';
import type { TaskScope } from '../core/taskStore.js';
import { principalScope } from '../runtime/principalScope.js';
import { MissingTasksExtensionError } from './errors.js';
import { TASKS_EXTENSION_ID } from './wire.js';

/** Client capabilities as a 2026-07-28 envelope declares them. */
export type DeclaredCapabilities = ClientCapabilities & { extensions?: Record<string, unknown> };

/** The capabilities an envelope (`_meta`, or the SDK's lifted `ctx.mcpReq.envelope`) declares; `{}` when none. */
export function envelopeCapabilities(envelope: Record<string, unknown> | undefined): DeclaredCapabilities {
  const declared = envelope?.[CLIENT_CAPABILITIES_META_KEY];
  return declared !== null && typeof declared === 'object' ? (declared as DeclaredCapabilities) : {};
}

/** The capabilities the request declared in its envelope (`{}` when it declared none). */
export function requestCapabilities(ctx: ServerContext): DeclaredCapabilities {
  return envelopeCapabilities(ctx.mcpReq.envelope as Record<string, unknown> | undefined);
}

/** Whether capabilities include the tasks extension. */
export function includesTasks(capabilities: DeclaredCapabilities): boolean {
  return capabilities.extensions?.[TASKS_EXTENSION_ID] !== undefined;
}

/** Whether this request declared the tasks extension. */
export function declaresTasks(ctx: ServerContext): boolean {
  return includesTasks(requestCapabilities(ctx));
}

/** Throws {@link MissingTasksExtensionError} (-32021) unless this request declared the extension. */
export function requireTasks(ctx: ServerContext, what: string): void {
  if (!declaresTasks(ctx)) throw new MissingTasksExtensionError(what);
}

/** Who sent a 2026-07-28 request, as far as the owner scope goes. */
export interface RequestIdentity {
  /** The validated token of the request (`ctx.http.authInfo`), if any. */
  readonly authInfo: AuthInfo | undefined;
}

/**
 * Resolves the owner scope of a 2026-07-28 request. There are no sessions: with an authorization
 * context the scope is the principal (`<clientId>|<sub>`, as under 2025-11-25, so a task is the same
 * task for the same user whichever revision asks); without one, anonymous (protected by the task's
 * unguessable id).
 */
export type ExtensionScopeResolver = (identity: RequestIdentity) => TaskScope;

/** The default {@link ExtensionScopeResolver}. */
export const defaultExtensionScope: ExtensionScopeResolver = ({ authInfo }) => (authInfo ? principalScope(authInfo) : undefined);

/** The identity of a request the SDK dispatches. */
export function identityOf(ctx: ServerContext): RequestIdentity {
  return { authInfo: ctx.http?.authInfo };
}
