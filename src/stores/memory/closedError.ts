/** The error every in-memory backend rejects with once it has been closed. */
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { TaskError } from '../../core/errors.js';

/**
 * Thrown (and used to reject pending waiters) once a store, queue or response channel has been
 * closed. Code -32603: the server is shutting down, not the client's fault.
 */
export class StoreClosedError extends TaskError {
  constructor(what: string) {
    super(ErrorCode.InternalError, `${what} is closed`);
  }
}
