/**
 * The `TaskLeases` contract: how a process says "I am running this task" in a shared backend, so
 * that when it dies its tasks become `failed` instead of staying `working` forever.
 * In-process backends need none (a process that dies takes its tasks with it).
 */
export interface TaskLeases {
  /** Takes (and from then on renews) the lease on a task this process starts running. */
  acquire(taskId: string): Promise<void>;
  /** Gives the lease up once the work has ended (whatever the outcome). */
  release(taskId: string): Promise<void>;
  /** Stops renewing and releases every lease this process holds. Idempotent. */
  close(): Promise<void>;
}
