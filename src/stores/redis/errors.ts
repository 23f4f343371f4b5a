/** Errors of the Redis backend (both code -32603: the server's problem, not the client's). */
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { TaskError } from '../../core/errors.js';

/** Thrown (and used to reject pending waiters) once a Redis store, queue, channel or lease set is closed. */
export class RedisClosedError extends TaskError {
  constructor(what: string) {
    super(ErrorCode.InternalError, `${what} is closed`);
  }
}

/**
 * A Redis command failed (connection lost, Redis restarting, out of memory, …). The operation did
 * not happen, or its outcome is unknown; the message says which Redis error it was.
 */
export class RedisBackendError extends TaskError {
  /** The ioredis error. */
  override readonly cause: unknown;
  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(ErrorCode.InternalError, `Task backend (Redis) unavailable: ${detail}`);
    this.cause = cause;
  }
}

/** Passes typed errors through and wraps anything else (an ioredis error) in {@link RedisBackendError}. */
export function backendError(err: unknown): TaskError {
  return err instanceof TaskError ? err : new RedisBackendError(err);
}
