/**
 * The Redis key layout. Every key and channel of one deployment starts with a hash tag made of its
 * `keyPrefix`; all keys a script touches are built here, share one tag (one Cluster slot), and are
 * passed to it as `KEYS[]`. Two layouts:
 *
 * - `single-slot` (the default on a standalone Redis): every key has the tag `{p}`, so one script
 *   can touch a task and its owner's indexes at once.
 * - `sharded` (the default on a Redis Cluster): a task's keys have the tag `{p:bb}` of its bucket
 *   (`bb` = 2 hex digits from a hash of the task id, 256 buckets), so tasks spread over the
 *   cluster's masters; a bucket also holds the lease set of its tasks. An owner's indexes have the
 *   tag `{p:s:<scope>}` of the owner, so they spread over the slots too. Only the deployment's
 *   live-task set (the exact `maxTasks` count) keeps the tag `{p}`: each creation adds to it.
 *
 * | key (single-slot / sharded) | type | content |
 * |---|---|---|
 * | `{p}:task:<id>` / `{p:bb}:task:<id>` | HASH | status, message, times, ttl, expiry, pollInterval, version, owner, outcome, lease holder |
 * | `{p}:queue:<id>` / `{p:bb}:queue:<id>` | LIST | the task's queued side-channel messages (JSON), oldest first |
 * | `{p}:tasks` | ZSET | every live task, score = expiry (ms, `+inf` for none): the `maxTasks` count |
 * | `{p}:leases` / `{p:bb}:leases` | ZSET | leased tasks (of the bucket), score = lease deadline (ms) |
 * | `{p}:seq` / `{p:s:<s>}:seq` | STRING | creation sequence counter (listing positions; per owner when sharded) |
 * | `{p}:scope:<s>:list` / `{p:s:<s>}:list` | ZSET | the owner's tasks, score = creation sequence: `tasks/list` |
 * | `{p}:scope:<s>:expiry` / `{p:s:<s>}:expiry` | ZSET | the owner's tasks, score = expiry: pruning of the list |
 * | `{p}:scope:<s>:active` / `{p:s:<s>}:active` | ZSET | the owner's non-terminal tasks, score = expiry: `maxActiveTasksPerScope` |
 * | `{p}:response:<requestId>` / `{p:bb}:response:<requestId>` | STRING | a side-channel answer, kept for a bounded time |
 *
 * Channels (both layouts): `{p}:task-events:<id>` (task changed or gone), `{p}:queue-events:<id>`
 * (message queued), `{p}:response-events:<requestId>` (answer published).
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

/** How keys are spread over Cluster slots: see the module comment. */
export type RedisKeyLayout = 'single-slot' | 'sharded';

/** How many buckets the sharded layout spreads tasks over (fixed: it places every key). */
export const SHARDED_BUCKETS = 256;

/** The index keys of one owner (scope). */
export interface ScopeKeys {
  list: string;
  expiry: string;
  active: string;
  /** The creation sequence counter the owner's listing positions come from. */
  sequence: string;
}

/** A bucket from a string (FNV-1a): the same for every process, spread evenly for random ids. */
function bucketHash(text: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % buckets;
}

/** Builds every key and channel name of one deployment (one key prefix and layout). */
export class RedisKeys {
  /** The key prefix (without braces). */
  readonly prefix: string;
  /** `{prefix}`: the hash tag of every key in the single-slot layout, and of every channel. */
  readonly tag: string;
  readonly layout: RedisKeyLayout;
  /** How many buckets tasks are spread over: 1 in the single-slot layout. */
  readonly buckets: number;
  /** Whether an owner's index keys share the slot of its tasks' keys (one script can change both). */
  readonly indexesWithTasks: boolean;

  /** Throws `RangeError` for a prefix that is empty, too long or has characters other than `A-Za-z0-9:._-`. */
  constructor(prefix: string = DEFAULT_KEY_PREFIX, layout: RedisKeyLayout = 'single-slot') {
    if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix)) {
      throw new RangeError('keyPrefix must be 1–64 characters from A-Z a-z 0-9 : . _ -');
    }
    if (layout !== 'single-slot' && layout !== 'sharded') throw new RangeError("layout must be 'single-slot' or 'sharded'");
    this.prefix = prefix;
    this.tag = `{${prefix}}`;
    this.layout = layout;
    this.buckets = layout === 'sharded' ? SHARDED_BUCKETS : 1;
    this.indexesWithTasks = layout === 'single-slot';
  }

  /** The bucket of a task (or request) id. */
  bucketOf(id: string): number {
    return this.buckets === 1 ? 0 : bucketHash(id, this.buckets);
  }

  /** The hash tag of a bucket's keys. */
  bucketTag(bucket: number): string {
    return this.buckets === 1 ? this.tag : `{${this.prefix}:${bucket.toString(16).padStart(2, '0')}}`;
  }

  task(taskId: string): string {
    return `${this.bucketTag(this.bucketOf(taskId))}:task:${taskId}`;
  }
  queue(taskId: string): string {
    return `${this.bucketTag(this.bucketOf(taskId))}:queue:${taskId}`;
  }
  /** The deployment's live-task set (the `maxTasks` count), on its own slot when sharded. */
  liveTasks(): string {
    return `${this.tag}:tasks`;
  }
  /** The lease set of a bucket. */
  leases(bucket: number): string {
    return `${this.bucketTag(bucket)}:leases`;
  }
  /** The index keys of a scope: listing, expiry, active, and its sequence counter. */
  scope(scope: TaskScope): ScopeKeys {
    const s = scopeKey(scope);
    if (this.buckets === 1) {
      const base = `${this.tag}:scope:${s}`;
      return { list: `${base}:list`, expiry: `${base}:expiry`, active: `${base}:active`, sequence: `${this.tag}:seq` };
    }
    const base = `{${this.prefix}:s:${s}}`;
    return { list: `${base}:list`, expiry: `${base}:expiry`, active: `${base}:active`, sequence: `${base}:seq` };
  }
  response(requestId: string): string {
    return `${this.bucketTag(this.bucketOf(requestId))}:response:${requestId}`;
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
