/** `tasks/list` for requestors: cursors are passed back exactly as received (R67). */
import { ListTasksResultSchema, type ListTasksResult, type Task } from '@modelcontextprotocol/sdk/types.js';
import { assertPeerDeclares, requestLinked, type RequestPeer } from './peer.js';

/** Options of {@link listTasks} and {@link listAllTasks}. */
export interface ListTasksOptions {
  /** Timeout in ms of each `tasks/list` request. Default: the SDK's (60 s). */
  timeout?: number;
  signal?: AbortSignal;
}

/**
 * One page of the receiver's tasks; pass `nextCursor` back untouched for the next page. Fails with
 * `CapabilityMissingError` before sending when the receiver is known not to support `tasks/list`.
 */
export async function listTasks(peer: RequestPeer, cursor?: string, options: ListTasksOptions = {}): Promise<ListTasksResult> {
  assertPeerDeclares(peer, 'list');
  const request = cursor === undefined ? { method: 'tasks/list' } : { method: 'tasks/list', params: { cursor } };
  return requestLinked(peer, request, ListTasksResultSchema, { signal: options.signal, timeout: options.timeout });
}

/** Every task the receiver lists, following `nextCursor` verbatim until it is absent. */
export async function* listAllTasks(peer: RequestPeer, options: ListTasksOptions = {}): AsyncGenerator<Task> {
  let cursor: string | undefined;
  do {
    const page = await listTasks(peer, cursor, options);
    yield* page.tasks;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
