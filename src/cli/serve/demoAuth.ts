/**
 * `--demo-auth`: a deliberately trusting bearer-token check for demos and the isolation checks.
 * Any well-formed `Authorization: Bearer <token>` is accepted and the token itself becomes the
 * client identity (`authInfo.clientId`), so two tokens are two requestors. It proves nothing about
 * who the caller is: never use it to protect anything.
 */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

/** The start-up warning printed when demo auth is on. */
export const DEMO_AUTH_WARNING =
  'WARNING: --demo-auth accepts ANY bearer token and uses it as the client identity. ' +
  'It is for demos and isolation tests only; it protects nothing.';

/** Longest token accepted, so that an identity stays a reasonable map key. */
export const MAX_DEMO_TOKEN_LENGTH = 512;

// RFC 6750 §2.1 b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** Why a request was refused. */
export interface DemoAuthFailure {
  readonly message: string;
}

/**
 * The identity carried by an `Authorization` header value, or a failure when it is missing or
 * not a well-formed bearer token.
 */
export function demoAuthInfo(header: string | string[] | undefined): AuthInfo | DemoAuthFailure {
  if (header === undefined || header === '') return { message: 'Unauthorized: missing "Authorization: Bearer <token>" header' };
  if (Array.isArray(header)) return { message: 'Unauthorized: more than one Authorization header' };
  const match = BEARER.exec(header);
  if (!match) return { message: 'Unauthorized: the Authorization header must be "Bearer <token>"' };
  const token = match[1]!;
  if (token.length > MAX_DEMO_TOKEN_LENGTH) {
    return { message: `Unauthorized: bearer token longer than ${MAX_DEMO_TOKEN_LENGTH} characters` };
  }
  return { token, clientId: token, scopes: [] };
}

/** Whether {@link demoAuthInfo} refused the header. */
export function isDemoAuthFailure(value: AuthInfo | DemoAuthFailure): value is DemoAuthFailure {
  return !('token' in value);
}
