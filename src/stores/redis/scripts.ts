/**
 * The Redis backend's Lua scripts (`lua/*.lua`), each called with named arguments: the one place
 * where their `KEYS` and `ARGV` are built and their replies turned into typed values.
 */
import type { TaskScope } from '../../core/taskStore.js';
import { parseTask, type StoredTask } from './codec.js';
import type { RedisConnection } from './connection.js';
import { ownerOf } from './keys.js';
import { isTerminal as isTerminalStatus } from '../../core/status.js';
import { LuaScript } from './luaScript.js';

const lua = Object.freeze({
  createTask: new LuaScript('createTask'),
  admitTask: new LuaScript('admitTask'),
  reserveTask: new LuaScript('reserveTask'),
  unindexTask: new LuaScript('unindexTask'),
  transitionTask: new LuaScript('transitionTask'),
  deleteTask: new LuaScript('deleteTask'),
  readTask: new LuaScript('readTask'),
  enqueueMessage: new LuaScript('enqueueMessage'),
  drainQueue: new LuaScript('drainQueue'),
  publishResponse: new LuaScript('publishResponse'),
  acquireLease: new LuaScript('acquireLease'),
  renewLeases: new LuaScript('renewLeases'),
  expiredLeases: new LuaScript('expiredLeases'),
  changeInputRequest: new LuaScript('changeInputRequest'),
  readInputRequests: new LuaScript('readInputRequests'),
});

/** What `changeInputRequest` answers. */
export type InputRequestReply =
  | { kind: 'ok'; stored: StoredTask; statusChanged: boolean }
  | { kind: 'notfound' }
  | { kind: 'terminal'; status: 'completed' | 'failed' | 'cancelled' }
  | { kind: 'full' }
  | { kind: 'absent' };

/** What `createTask` answers. */
export type CreateReply = { kind: 'ok'; stored: StoredTask } | { kind: 'exists' } | { kind: 'limit'; limit: 'maxTasks' | 'maxActiveTasksPerScope' };

/** What `transitionTask` answers. */
export type TransitionReply =
  | { kind: 'ok'; stored: StoredTask }
  | { kind: 'notfound' }
  | { kind: 'terminal'; status: 'completed' | 'failed' | 'cancelled' }
  | { kind: 'leased' };

/** A read of one task: the task, its remaining life and its outcome JSON. */
export interface TaskRead {
  stored: StoredTask;
  /** Remaining life in ms, or -1 when it never expires. */
  pttl: number;
  outcome: string | null;
}

/** The reply of createTask as a typed value. */
function createReply(taskId: string, reply: unknown[]): CreateReply {
  if (reply[0] === 'exists') return { kind: 'exists' };
  if (reply[0] === 'limit') return { kind: 'limit', limit: reply[1] as 'maxTasks' | 'maxActiveTasksPerScope' };
  return { kind: 'ok', stored: parseTask(taskId, reply.slice(1)) };
}

/** The scripts of one deployment (one connection and key layout). */
export class RedisScripts {
  readonly #connection: RedisConnection;

  constructor(connection: RedisConnection) {
    this.#connection = connection;
  }

  /**
   * Creates a task (`ttl` null: unlimited). `provisionalLeaseMs` covers it with a lease: held by
   * `leaseHolder` when given, else provisional until its runner takes one. On one slot this is one
   * script. Sharded, the task first gets its place among the deployment's live tasks (maxTasks) and
   * in its owner's indexes (maxActiveTasksPerScope), each on its own slot and side by side, then is
   * written on its bucket's slot; what a failed step took is given back.
   */
  async createTask(a: {
    taskId: string;
    scope: TaskScope;
    ttl: number | null;
    pollInterval: number;
    maxTasks: number;
    maxActiveTasksPerScope: number;
    pruneBatch: number;
    provisionalLeaseMs: number | undefined;
    leaseHolder?: string | undefined;
  }): Promise<CreateReply> {
    const keys = this.#connection.keys;
    const scopeKeys = keys.scope(a.scope);
    const ttl = a.ttl === null ? '' : a.ttl;
    const taskKeys = [keys.task(a.taskId), keys.queue(a.taskId), keys.leases(keys.bucketOf(a.taskId))];
    const create = async (seq: string, more: readonly string[]): Promise<unknown[]> =>
      (await this.#connection.run(lua.createTask, [...taskKeys, ...more], [
        ownerOf(a.scope),
        ttl,
        a.pollInterval,
        a.maxTasks,
        a.maxActiveTasksPerScope,
        a.pruneBatch,
        a.taskId,
        a.provisionalLeaseMs ?? '',
        a.leaseHolder ?? '',
        seq,
      ])) as unknown[];
    if (keys.indexesWithTasks) {
      return createReply(a.taskId, await create('', [keys.liveTasks(), scopeKeys.sequence, scopeKeys.list, scopeKeys.expiry, scopeKeys.active]));
    }
    const [reserved, admitted] = await Promise.allSettled([this.#reserve(a.taskId, ttl, a.maxTasks, a.pruneBatch), this.#admit(a, ttl)]);
    const giveBack = async (): Promise<void> => {
      await Promise.all([
        reserved.status === 'fulfilled' && reserved.value ? this.#connection.call((c) => c.zrem(keys.liveTasks(), a.taskId)) : undefined,
        admitted.status === 'fulfilled' && admitted.value !== undefined ? this.unindexTasks({ scope: a.scope, taskIds: [a.taskId] }) : undefined,
      ]);
    };
    if (reserved.status === 'rejected' || admitted.status === 'rejected' || !reserved.value || admitted.value === undefined) {
      await giveBack().catch(() => undefined);
      if (reserved.status === 'rejected') throw reserved.reason;
      if (admitted.status === 'rejected') throw admitted.reason;
      return { kind: 'limit', limit: reserved.value ? 'maxActiveTasksPerScope' : 'maxTasks' };
    }
    let reply: unknown[];
    try {
      reply = await create(admitted.value, []);
    } catch (err) {
      await giveBack().catch(() => undefined);
      throw err;
    }
    if (reply[0] !== 'ok') await giveBack();
    return createReply(a.taskId, reply);
  }

  /** Reserves a place among the deployment's live tasks (sharded); false at maxTasks. */
  async #reserve(taskId: string, ttl: number | '', maxTasks: number, pruneBatch: number): Promise<boolean> {
    return (await this.#connection.run(lua.reserveTask, [this.#connection.keys.liveTasks()], [taskId, ttl, maxTasks, pruneBatch])) === 1;
  }

  /** Admits a task to its owner's indexes (sharded): its sequence number, or `undefined` at the owner's active limit. */
  async #admit(a: { taskId: string; scope: TaskScope; maxActiveTasksPerScope: number; pruneBatch: number }, ttl: number | ''): Promise<string | undefined> {
    const scopeKeys = this.#connection.keys.scope(a.scope);
    const admit = async (): Promise<unknown[]> =>
      (await this.#connection.run(
        lua.admitTask,
        [scopeKeys.sequence, scopeKeys.list, scopeKeys.expiry, scopeKeys.active],
        [a.taskId, ttl, a.maxActiveTasksPerScope, a.pruneBatch],
      )) as unknown[];
    let admitted = await admit();
    if (admitted[0] === 'limit' && (await this.#clearEndedActive(a.scope, a.maxActiveTasksPerScope))) admitted = await admit();
    return admitted[0] === 'ok' ? String(admitted[1]) : undefined;
  }

  /**
   * At the active limit of an owner whose indexes live on another slot than its tasks: takes out
   * of its active set the entries of tasks that are gone or ended (a process that stopped between
   * a task's end and that set's update leaves one behind). Whether any was.
   */
  async #clearEndedActive(scope: TaskScope, limit: number): Promise<boolean> {
    const active = this.#connection.keys.scope(scope).active;
    const ids = await this.#connection.call((c) => c.zrange(active, 0, limit - 1));
    const reads = await Promise.all(ids.map((taskId) => this.readTask({ taskId, withOutcome: false })));
    const owner = ownerOf(scope);
    const ended = ids.filter((_, i) => {
      const read = reads[i];
      return read === null || read === undefined || read.stored.owner !== owner || isTerminalStatus(read.stored.task.status);
    });
    await this.unindexTasks({ scope, taskIds: ended, only: 'active' });
    return ended.length > 0;
  }

  /** Takes tasks out of their owner's indexes (listing, expiry, active), in one step. */
  async unindexTasks(a: { scope: TaskScope; taskIds: readonly string[]; only?: 'active' }): Promise<void> {
    if (a.taskIds.length === 0) return;
    const scopeKeys = this.#connection.keys.scope(a.scope);
    const indexes = a.only === 'active' ? [scopeKeys.active] : [scopeKeys.list, scopeKeys.expiry, scopeKeys.active];
    await this.#connection.run(lua.unindexTask, indexes, a.taskIds);
  }

  /**
   * Changes a task of `scope`: its status and/or message, with its outcome when it ends. With
   * `orphan`, only while its lease has expired (the orphan check).
   */
  async transitionTask(a: {
    taskId: string;
    scope: TaskScope;
    status?: string | undefined;
    statusMessage?: string | undefined;
    outcome?: string | undefined;
    orphan?: boolean;
  }): Promise<TransitionReply> {
    const keys = this.#connection.keys;
    const taskKeys = [keys.task(a.taskId), keys.leases(keys.bucketOf(a.taskId))];
    const reply = (await this.#connection.run(
      lua.transitionTask,
      keys.indexesWithTasks ? [...taskKeys, keys.scope(a.scope).active] : taskKeys,
      [
        ownerOf(a.scope),
        a.status ?? '',
        a.statusMessage === undefined ? '0' : '1',
        a.statusMessage ?? '',
        a.outcome ?? '',
        keys.taskEvents(a.taskId),
        a.taskId,
        a.orphan === true ? '1' : '0',
      ],
    )) as unknown[];
    switch (reply[0]) {
      case 'notfound':
        return { kind: 'notfound' };
      case 'terminal':
        return { kind: 'terminal', status: reply[1] as 'completed' | 'failed' | 'cancelled' };
      case 'leased':
        return { kind: 'leased' };
      default: {
        const stored = parseTask(a.taskId, reply.slice(1));
        // On another slot, the owner's active set is told here (a crash in between leaves an entry
        // that the limit check clears: see RedisTaskStore's createTask).
        if (!keys.indexesWithTasks && isTerminalStatus(stored.task.status)) {
          await this.unindexTasks({ scope: a.scope, taskIds: [a.taskId], only: 'active' });
        }
        return { kind: 'ok', stored };
      }
    }
  }

  /** Deletes a task of `scope` with its queue and index entries; false when there was none. */
  async deleteTask(a: { taskId: string; scope: TaskScope }): Promise<boolean> {
    const keys = this.#connection.keys;
    const scopeKeys = keys.scope(a.scope);
    const taskKeys = [keys.task(a.taskId), keys.queue(a.taskId), keys.leases(keys.bucketOf(a.taskId))];
    const deleted = await this.#connection.run(
      lua.deleteTask,
      keys.indexesWithTasks ? [...taskKeys, keys.liveTasks(), scopeKeys.list, scopeKeys.expiry, scopeKeys.active] : taskKeys,
      [ownerOf(a.scope), a.taskId, keys.taskEvents(a.taskId)],
    );
    // Sharded, the other slots are told next (entries left behind by a crash: listing drops them,
    // and the live-task set's expiry prune).
    if (deleted === 1 && !keys.indexesWithTasks) {
      await Promise.all([this.#connection.call((c) => c.zrem(keys.liveTasks(), a.taskId)), this.unindexTasks({ scope: a.scope, taskIds: [a.taskId] })]);
    }
    return deleted === 1;
  }

  /** Reads a task (whatever its owner); `null` when it does not exist. */
  async readTask(a: { taskId: string; withOutcome: boolean }): Promise<TaskRead | null> {
    const reply = (await this.#connection.run(lua.readTask, [this.#connection.keys.task(a.taskId)], [a.withOutcome ? '1' : '0'])) as unknown[];
    if (reply[0] !== 'ok') return null;
    return { pttl: Number(reply[1]), outcome: typeof reply[2] === 'string' ? reply[2] : null, stored: parseTask(a.taskId, reply.slice(3)) };
  }

  /** Adds (`json` given) or removes the pending input request `key` of a task of `scope`. */
  async changeInputRequest(a: { taskId: string; scope: TaskScope; key: string; json?: string; maxPending: number }): Promise<InputRequestReply> {
    const keys = this.#connection.keys;
    const reply = (await this.#connection.run(
      lua.changeInputRequest,
      [keys.task(a.taskId)],
      [ownerOf(a.scope), a.json === undefined ? 'remove' : 'add', a.key, a.json ?? '', a.maxPending, keys.taskEvents(a.taskId)],
    )) as unknown[];
    switch (reply[0]) {
      case 'ok':
        return { kind: 'ok', statusChanged: Number(reply[1]) === 1, stored: parseTask(a.taskId, reply.slice(2)) };
      case 'terminal':
        return { kind: 'terminal', status: reply[1] as 'completed' | 'failed' | 'cancelled' };
      default:
        return { kind: reply[0] as 'notfound' | 'full' | 'absent' };
    }
  }

  /** The pending input requests (key and JSON) of a task of `scope`; `null` when there is no such task. */
  async readInputRequests(a: { taskId: string; scope: TaskScope }): Promise<[string, string][] | null> {
    const reply = (await this.#connection.run(lua.readInputRequests, [this.#connection.keys.task(a.taskId)], [ownerOf(a.scope)])) as string[];
    if (reply[0] !== 'ok') return null;
    const pairs: [string, string][] = [];
    for (let i = 1; i + 1 < reply.length; i += 2) pairs.push([reply[i]!, reply[i + 1]!]);
    return pairs;
  }

  /** Queues a message unless the queue holds `bound` already; the new length, or -1 when full. */
  async enqueueMessage(a: { taskId: string; json: string; bound: number; orphanExpiryMs: number }): Promise<number> {
    const keys = this.#connection.keys;
    return Number(
      await this.#connection.run(lua.enqueueMessage, [keys.queue(a.taskId), keys.task(a.taskId)], [a.json, a.bound, a.orphanExpiryMs, keys.queueEvents(a.taskId)]),
    );
  }

  /** Takes every queued message of a task, oldest first. */
  async drainQueue(a: { taskId: string }): Promise<string[]> {
    return (await this.#connection.run(lua.drainQueue, [this.#connection.keys.queue(a.taskId)], [])) as string[];
  }

  /** Keeps an answer for `keepMs` and publishes it. */
  async publishResponse(a: { requestId: string; json: string; keepMs: number }): Promise<void> {
    const keys = this.#connection.keys;
    await this.#connection.run(lua.publishResponse, [keys.response(a.requestId)], [a.json, a.keepMs, keys.responseEvents(a.requestId)]);
  }

  /** Takes the lease on a live task; false when it is gone or terminal. */
  async acquireLease(a: { taskId: string; holder: string; leaseMs: number }): Promise<boolean> {
    const keys = this.#connection.keys;
    return (await this.#connection.run(lua.acquireLease, [keys.task(a.taskId), keys.leases(keys.bucketOf(a.taskId))], [a.taskId, a.holder, a.leaseMs])) === 1;
  }

  /** Renews the holder's leases on `taskIds` (all of one bucket); returns the ids whose lease was lost. */
  async renewLeases(a: { holder: string; leaseMs: number; bucket: number; taskIds: readonly string[] }): Promise<string[]> {
    const keys = this.#connection.keys;
    return (await this.#connection.run(
      lua.renewLeases,
      [keys.leases(a.bucket), ...a.taskIds.map((id) => keys.task(id))],
      [a.holder, a.leaseMs, ...a.taskIds],
    )) as string[];
  }

  /** At most `limit` task ids of a bucket whose lease deadline has passed, oldest first. */
  async expiredLeases(a: { bucket: number; limit: number }): Promise<string[]> {
    return (await this.#connection.run(lua.expiredLeases, [this.#connection.keys.leases(a.bucket)], [a.limit])) as string[];
  }
}
