/** The task status state machine (R25–R28). */
import type { TaskStatus } from '@modelcontextprotocol/sdk/types.js';

/** The statuses a task never leaves. */
export type TerminalStatus = Extract<TaskStatus, 'completed' | 'failed' | 'cancelled'>;

/** True for `completed`, `failed` and `cancelled`. */
export function isTerminal(status: TaskStatus): status is TerminalStatus {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}
