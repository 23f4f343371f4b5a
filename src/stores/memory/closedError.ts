/** The error every in-memory backend rejects with once it has been closed (defined in core). */
export { StoreClosedError } from '../../core/errors.js';
