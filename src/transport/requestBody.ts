/** Reads and parses the JSON body of a POST before the SDK transport sees it (the reference server and the client-conformance host). */
import type http from 'node:http';

/** What {@link readJsonBody} found. */
export type JsonBody = { kind: 'json'; value: unknown } | { kind: 'tooLarge' } | { kind: 'invalid' };

/** Whether a `Content-Type` header value is `application/json` (parameters such as `charset` allowed). */
export function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * Reads the body of `req` (at most `maxBytes`, counting the `Content-Length` header and the bytes
 * received) and parses it as JSON. A body that is too large is not read further.
 */
export async function readJsonBody(req: http.IncomingMessage, maxBytes: number): Promise<JsonBody> {
  if (Number(req.headers['content-length']) > maxBytes) return { kind: 'tooLarge' };
  const chunks: Buffer[] = [];
  const complete = await new Promise<boolean>((resolve, reject) => {
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // Too large: the rest is discarded unread (the answer closes the connection).
      req.off('data', onData);
      req.resume();
      resolve(false);
    };
    req.on('data', onData);
    req.once('end', () => resolve(true));
    req.once('error', reject);
    // Settles nothing once 'end' (or an error) came first.
    req.once('close', () => reject(new Error('the client closed the request before its body was complete')));
  });
  if (!complete) return { kind: 'tooLarge' };
  try {
    return { kind: 'json', value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { kind: 'invalid' };
  }
}
