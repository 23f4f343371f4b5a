/** Task ids: 128 bits from the platform CSPRNG, as 32 lowercase hex characters (R22–R24, R84). */
import { randomFillSync } from 'node:crypto';

/** Bytes of one id. */
const ID_BYTES = 16;
/** Ids drawn from the CSPRNG in one call (one call per id costs more than the id itself). */
const IDS_PER_FILL = 256;

const pool = Buffer.alloc(ID_BYTES * IDS_PER_FILL);
/** Where the next unused id starts in `pool`; at the end, the pool is refilled. */
let next = pool.length;

/** Generates a new task id with 128 bits of entropy; every id uses fresh random bytes. */
export function generateTaskId(): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const id = pool.toString('hex', next, next + ID_BYTES);
  next += ID_BYTES;
  return id;
}
