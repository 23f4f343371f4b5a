/**
 * The owner scope of an authenticated requestor, the same under both wire revisions (R82): tasks
 * follow the principal, `<clientId>|<sub>`, across sessions and connections.
 */

/** What a principal scope is made of: the SDK's `AuthInfo` (either SDK generation). */
export interface Principal {
  readonly clientId: string;
  readonly extra?: Record<string, unknown> | undefined;
}

/** `<clientId>|<sub>` (`sub` from `extra.sub` when the token has one, else empty). */
export function principalScope(auth: Principal): string {
  const sub = auth.extra?.['sub'];
  return `${auth.clientId}|${typeof sub === 'string' ? sub : ''}`;
}
