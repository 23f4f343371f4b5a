/** Task ids: 128 bits from the platform CSPRNG, as 32 lowercase hex characters (R22–R24, R84). */
import { randomBytes } from 'node:crypto';

/** Generates a new task id with 128 bits of entropy. */
export function generateTaskId(): string {
  return randomBytes(16).toString('hex');
}
