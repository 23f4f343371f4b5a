/**
 * Task handles: what a requestor holds after sending a task-augmented request (a tool call, or a
 * server's elicitation / sampling request). Written once over {@link RequestPeer}, so it serves
 * both directions.
 */
import type { CreateTaskResult, Result } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { CreatedTaskHandle, ImmediateTaskHandle, TaskHandleOptions } from './handleTypes.js';
import { ImmediateHandle } from './immediateTaskHandle.js';
import type { RequestPeer } from './peer.js';
import { PolledTaskHandle } from './polledTaskHandle.js';

export * from './handleTypes.js';

/** Makes the handle on a task the receiver created. */
export function createTaskHandle<S extends z.ZodType>(
  peer: RequestPeer,
  createResult: CreateTaskResult,
  resultSchema: S,
  options: TaskHandleOptions = {},
): CreatedTaskHandle<z.output<S>> {
  return new PolledTaskHandle(peer, createResult, resultSchema, options);
}

/** Makes the handle on a result the receiver returned directly. */
export function immediateTaskHandle<R extends Result>(result: R): ImmediateTaskHandle<R> {
  return new ImmediateHandle(result);
}
