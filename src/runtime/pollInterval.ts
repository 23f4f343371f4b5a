/** The `pollInterval` a binding or a tool suggests for its tasks. */

/** Checks a `pollInterval` option: a positive integer number of milliseconds (it is an integer on the wire). */
export function checkPollInterval(pollInterval: number | undefined): number | undefined {
  if (pollInterval !== undefined && (!Number.isSafeInteger(pollInterval) || pollInterval <= 0)) {
    throw new RangeError(`pollInterval must be a positive integer (milliseconds), got ${pollInterval}`);
  }
  return pollInterval;
}
