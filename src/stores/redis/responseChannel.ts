/**
 * `RedisTaskResponseChannel`: carries a requestor's answer to a queued side-channel request from
 * the process that received it (the one serving `tasks/result`) to the process whose task waits
 * for it. `publishResponse` stores the answer under `{p}:response:<requestId>` for a bounded time
 * and publishes it on `{p}:response-events:<requestId>` in one script; `waitForResponse`
 * is subscribed first (one pattern per process), then reads the key (so an answer published
 * before the wait began is still delivered), and reads it again after a reconnection.
 */
import { integerOption } from '../../core/storeInput.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { TaskError } from '../../core/errors.js';
import type { SettledResponse, TaskResponseChannel } from '../../core/messageQueue.js';
import { RedisConnection, type RedisConnectionOptions, type RedisTarget } from './connection.js';
import type { RedisClient } from './luaScript.js';
import { RedisScripts } from './scripts.js';
import { WatchedKeys } from './watchedKeys.js';

/** Options of a {@link RedisTaskResponseChannel}. */
export interface RedisTaskResponseChannelOptions extends RedisConnectionOptions {
  /** How long (ms) a published answer is kept for a waiter that has not started yet. Default 300,000 (5 min). */
  responseTtlMs?: number;
}

/** The default {@link RedisTaskResponseChannelOptions.responseTtlMs}. */
export const DEFAULT_RESPONSE_TTL = 300_000;

function invalid(message: string): TaskError {
  return new TaskError(ErrorCode.InvalidParams, message);
}

function checkRequestId(requestId: unknown): asserts requestId is string {
  if (typeof requestId !== 'string' || requestId.length === 0 || requestId.length > 256) {
    throw invalid('requestId must be a non-empty string');
  }
}

function checkResponse(response: unknown): SettledResponse {
  const r = response as Partial<{ result: unknown; error: { code?: unknown; message?: unknown } }> | null;
  if (r !== null && typeof r === 'object') {
    if ('result' in r && r.result !== null && typeof r.result === 'object' && !('error' in r)) return r as SettledResponse;
    if ('error' in r && r.error !== null && typeof r.error === 'object' && typeof r.error.code === 'number' && typeof r.error.message === 'string' && !('result' in r)) {
      return r as SettledResponse;
    }
  }
  throw invalid('Invalid response: expected { result } or { error: { code, message } }');
}

/** A {@link TaskResponseChannel} over Redis, shared by any number of processes. */
export class RedisTaskResponseChannel implements TaskResponseChannel {
  /** How long a published answer is kept. */
  readonly responseTtlMs: number;
  /** The connection (shared when built by `createRedisBackend`). */
  readonly connection: RedisConnection;

  readonly #scripts: RedisScripts;
  readonly #waiting: WatchedKeys<SettledResponse>;

  /** `redis` is a URL, an ioredis client or a shared {@link RedisConnection} (the last two are not closed here). */
  constructor(redis: RedisTarget | RedisConnection, options: RedisTaskResponseChannelOptions = {}) {
    this.responseTtlMs = integerOption(options.responseTtlMs, DEFAULT_RESPONSE_TTL, 'responseTtlMs');
    const connection = (this.connection = RedisConnection.of(redis, options));
    this.#scripts = new RedisScripts(connection);
    this.#waiting = new WatchedKeys<SettledResponse>({
      what: 'Task response channel',
      connection,
      channelPrefix: connection.keys.responseEvents(''),
      decode: (message) => JSON.parse(message) as SettledResponse,
      read: async (requestId) => {
        const json = await connection.call((c) => c.get(connection.keys.response(requestId)));
        return json === null ? undefined : (JSON.parse(json) as SettledResponse);
      },
    });
  }

  async waitForResponse(requestId: string, signal?: AbortSignal): Promise<SettledResponse> {
    this.#waiting.assertOpen();
    checkRequestId(requestId);
    return this.#waiting.wait(requestId, signal);
  }

  async publishResponse(requestId: string, response: SettledResponse): Promise<void> {
    this.#waiting.assertOpen();
    checkRequestId(requestId);
    let json: string;
    try {
      json = JSON.stringify(checkResponse(response));
    } catch (err) {
      if (err instanceof TaskError) throw err;
      throw invalid(`Response cannot be published: ${err instanceof Error ? err.message : String(err)}`);
    }
    await this.#scripts.publishResponse({ requestId, json, keepMs: this.responseTtlMs });
    this.#waiting.wake(requestId, JSON.parse(json) as SettledResponse);
  }

  close(): Promise<void> {
    return this.#waiting.close();
  }
}
