/** Shape checks on what a store returns: tasks (R22, R25, R38, R39, R41, R43), timestamps and id entropy (R84). */
import assert from 'node:assert/strict';
import { TaskSchema, type Task } from '@modelcontextprotocol/sdk/types.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Fails unless `value` is an RFC 3339 / ISO 8601 date-time string; returns its epoch ms. */
export function assertIsoTimestamp(value: unknown, what: string): number {
  assert.equal(typeof value, 'string', `${what} must be a string`);
  assert.match(value as string, RFC3339, `${what} must be an ISO 8601 date-time, got ${String(value)}`);
  const ms = Date.parse(value as string);
  assert.ok(Number.isFinite(ms), `${what} must parse as a date, got ${String(value)}`);
  return ms;
}

/** Fails unless `task` is a valid wire `Task` with the fields every store must fill in. */
export function assertTaskShape(task: Task, what = 'task'): void {
  const parsed = TaskSchema.safeParse(task);
  assert.ok(parsed.success, `${what} must match the SDK's TaskSchema: ${parsed.success ? '' : parsed.error.message}`);
  assert.equal(typeof task.taskId, 'string', `${what}.taskId must be a string (R22)`);
  assert.ok(task.taskId.length > 0, `${what}.taskId must not be empty (R22)`);
  assert.ok(Object.prototype.hasOwnProperty.call(task, 'ttl'), `${what} must carry the key ttl (R41)`);
  assert.ok(task.ttl === null || Number.isSafeInteger(task.ttl), `${what}.ttl must be an integer or null (R41), got ${String(task.ttl)}`);
  const created = assertIsoTimestamp(task.createdAt, `${what}.createdAt (R38)`);
  const updated = assertIsoTimestamp(task.lastUpdatedAt, `${what}.lastUpdatedAt (R39)`);
  assert.ok(updated >= created, `${what}.lastUpdatedAt (${task.lastUpdatedAt}) must not precede createdAt (${task.createdAt}) (R39)`);
  if (task.pollInterval !== undefined) {
    assert.ok(Number.isSafeInteger(task.pollInterval) && task.pollInterval >= 0, `${what}.pollInterval must be a non-negative integer (R43)`);
  }
}

/**
 * Estimates the entropy (bits) of a sample of ids: the sum, over character positions, of log2 of
 * the number of distinct characters seen at that position. Fixed characters (a UUID's version
 * nibble, a timestamp prefix, a counter's high digits) contribute nothing, so the estimate is an
 * upper bound of the real entropy that catches sequential, time-based and too-short ids.
 */
export function estimateIdEntropyBits(ids: readonly string[]): number {
  const width = Math.max(...ids.map((id) => id.length));
  let bits = 0;
  for (let position = 0; position < width; position++) {
    const seen = new Set<string>();
    for (const id of ids) seen.add(id[position] ?? '');
    bits += Math.log2(seen.size);
  }
  return bits;
}

/** Fails unless the `lastUpdatedAt` of `next` is not older than that of `previous`. */
export function assertNotOlder(previous: Task, next: Task, what: string): void {
  assert.ok(
    Date.parse(next.lastUpdatedAt) >= Date.parse(previous.lastUpdatedAt),
    `${what}: lastUpdatedAt went back from ${previous.lastUpdatedAt} to ${next.lastUpdatedAt} (R39)`,
  );
  assert.equal(next.createdAt, previous.createdAt, `${what}: createdAt must never change (R38)`);
}

/** What a caller can observe of an error (for the "no oracle" comparisons), with the task id masked. */
export function observableError(error: unknown, taskId: string): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: error };
  const mask = (text: string) => text.split(taskId).join('<id>');
  const { code, data } = error as { code?: unknown; data?: unknown };
  return {
    class: error.constructor.name,
    name: error.name,
    code,
    message: mask(error.message),
    data: data === undefined ? undefined : JSON.parse(mask(JSON.stringify(data))),
  };
}
