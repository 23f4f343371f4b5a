/** Small helpers shared by the Redis backend tests (not a test file). */
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { Request } from '@modelcontextprotocol/sdk/types.js';

let prefixes = 0;

/** A key prefix no other test uses. */
export function freshPrefix(label = 't'): string {
  return `${label}-${process.pid}-${++prefixes}`;
}

/** A `tools/call` request as the runtime passes it to `createTask`. */
export const toolCall: Request = { method: 'tools/call', params: { name: 'redis_test', arguments: {} } };

/** Opens a plain client for inspecting Redis (the caller quits it). */
export async function inspector(url: string): Promise<Redis> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

/** Redis server time in epoch ms. */
export async function redisNow(client: Redis): Promise<number> {
  const [seconds, micros] = await client.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** Every key of a prefix, found with SCAN (fine in a test; the library never scans). */
export async function keysOf(client: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `{${prefix}}:*`, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}

/** Collects warnings given to an `onWarning` option. */
export function warnings(): { messages: string[]; onWarning: (message: string) => void } {
  const messages: string[] = [];
  return { messages, onWarning: (message) => messages.push(message) };
}

/** Commands Redis has processed so far (`INFO stats` total_commands_processed; the INFO itself counts once it ran). */
export async function commandsProcessed(client: Redis): Promise<number> {
  return Number(/total_commands_processed:(\d+)/.exec(await client.info('stats'))?.[1]);
}
