/**
 * The Redis key layout. Every key and channel of one deployment starts with the hash tag
 * `{<keyPrefix>}`, so every script touches one Cluster slot; all keys a script touches are built
 * here and passed to it as `KEYS[]`.
 *
 * | key | type | content |
 * |---|---|---|
 * | `{p}:task:<id>` | HASH | status, message, times, ttl, expiry, pollInterval, version, owner, outcome, lease holder |
 * | `{p}:queue:<id>` | LIST | the task's queued side-channel messages (JSON), oldest first |
 * | `{p}:tasks` | ZSET | every live task, score = expiry (ms, `+inf` for none): the `maxTasks` count |
 * | `{p}:seq` | STRING | creation sequence counter (listing positions) |
 * | `{p}:leases` | ZSET | leased tasks, score = lease deadline (ms) |
 * | `{p}:scope:<s>:list` | ZSET | the scope's tasks, score = creation sequence: `tasks/list` |
 * | `{p}:scope:<s>:expiry` | ZSET | the scope's tasks, score = expiry: pruning of the list |
 * | `{p}:scope:<s>:active` | ZSET | the scope's non-terminal tasks, score = expiry: `maxActiveTasksPerScope` |
 * | `{p}:response:<requestId>` | STRING | a side-channel answer, kept for a bounded time |
 *
 * Channels: `{p}:task-events:<id>` (task changed or gone), `{p}:queue-events:<id>` (message queued),
 * `{p}:response-events:<requestId>` (answer published).
 */
import { createHash } from 'node:crypto';
import type { TaskScope } from '../../core/taskStore.js';

/** The key prefix used when none is given. */
export const DEFAULT_KEY_PREFIX = 'mcp-tasks';

const PREFIX_PATTERN = /^[A-Za-z0-9:._-]{1,64}$/;

/** The stored owner of a task: `a` for the anonymous scope, `s:<scope>` for a named one. */
export function ownerOf(scope: TaskScope): string {
  return scope === undefined ? 'a' : `s:${scope}`;
}

/** The scope of a stored owner (the inverse of {@link ownerOf}). */
export function scopeOfOwner(owner: string): TaskScope {
  return owner === 'a' ? undefined : owner.slice(2);
}

/** Builds every key and channel name of one deployment (one key prefix). */
export class RedisKeys {
  /** The key prefix (without braces). */
  readonly prefix: string;
  /** `{prefix}`: the hash tag that starts every key. */
  readonly tag: string;

  /** Throws `RangeError` for a prefix that is empty, too long or has characters other than `A-Za-z0-9:._-`. */
  constructor(prefix: string = DEFAULT_KEY_PREFIX) {
    if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix)) {
      throw new RangeError('keyPrefix must be 1–64 characters from A-Z a-z 0-9 : . _ -');
    }
    this.prefix = prefix;
    this.tag = `{${prefix}}`;
  }

  task(taskId: string): string {
    return `${this.tag}:task:${taskId}`;
  }
  queue(taskId: string): string {
    return `${this.tag}:queue:${taskId}`;
  }
  allTasks(): string {
    return `${this.tag}:tasks`;
  }
  sequence(): string {
    return `${this.tag}:seq`;
  }
  leases(): string {
    return `${this.tag}:leases`;
  }
  /** The three index keys of a scope: listing, expiry, active. */
  scope(scope: TaskScope): { list: string; expiry: string; active: string } {
    const base = `${this.tag}:scope:${scopeKey(scope)}`;
    return { list: `${base}:list`, expiry: `${base}:expiry`, active: `${base}:active` };
  }
  response(requestId: string): string {
    return `${this.tag}:response:${requestId}`;
  }
  taskEvents(taskId: string): string {
    return `${this.tag}:task-events:${taskId}`;
  }
  queueEvents(taskId: string): string {
    return `${this.tag}:queue-events:${taskId}`;
  }
  responseEvents(requestId: string): string {
    return `${this.tag}:response-events:${requestId}`;
  }
}

/**
 * A scope's name inside keys: `anon` for the anonymous scope, else a SHA-256 of the scope (so
 * identities do not appear in key names and any string is safe). The task hash keeps the exact
 * owner, which is what access checks compare.
 */
export function scopeKey(scope: TaskScope): string {
  return scope === undefined ? 'anon' : createHash('sha256').update(scope, 'utf8').digest('base64url');
}
