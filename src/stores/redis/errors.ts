/**
 * Errors of the Redis backend (code -32603: the server's problem, not the client's). A closed
 * store, queue, channel or lease set throws the core `StoreClosedError`.
 */
import { StoreUnavailableError, TaskError } from '../../core/errors.js';

/**
 * A Redis command failed (connection lost, Redis restarting, out of memory, …). The operation did
 * not happen, or its outcome is unknown; the message says which Redis error it was.
 */
export class RedisBackendError extends StoreUnavailableError {
  /** The ioredis error. */
  override readonly cause: unknown;
  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Task backend (Redis) unavailable: ${detail}`);
    this.cause = cause;
  }
}

/** Passes typed errors through and wraps anything else (an ioredis error) in {@link RedisBackendError}. */
export function backendError(err: unknown): TaskError {
  return err instanceof TaskError ? err : new RedisBackendError(err);
}
