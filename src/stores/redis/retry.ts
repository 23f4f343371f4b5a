/**
 * A bounded retry for the re-reads that follow a reconnection: the pub/sub connection may be back
 * a moment before the command connection is. Not a polling loop: at most `attempts` tries, with
 * doubling delays, then the last error is thrown.
 */
export async function retrying<T>(read: () => Promise<T>, attempts: number, firstDelayMs = 100): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, firstDelayMs * 2 ** (attempt - 1)));
    }
  }
}
