/** What every TaskStore contract check shares: a fresh store per test, common options, small builders. */
import { it, type TestContext } from 'node:test';
import { randomUUID } from 'node:crypto';
import type { Request, Result, Task } from '@modelcontextprotocol/sdk/types.js';
import type { CreateTaskOptions, TaskScope, TaskStore, TaskStoreOptions } from '../../core/taskStore.js';
import type { ResolvedContractOptions } from '../options.js';

/** Builds the store under test from the options a check needs. */
export type TaskStoreFactory = (options: TaskStoreOptions) => TaskStore | Promise<TaskStore>;

/** The shared state of one `describeTaskStoreContract` suite. */
export interface StoreSuite {
  readonly makeStore: TaskStoreFactory;
  readonly options: ResolvedContractOptions;
}

/** Everything a check body receives. */
export interface StoreCheck {
  readonly store: TaskStore;
  readonly t: TestContext;
  /** Creates a task in `scope` (anonymous by default) with the given task params. */
  create(scope?: TaskScope, params?: CreateTaskOptions): Promise<Task>;
  /** A scope name no other test uses (so checks stay independent even on a shared backend). */
  newScope(label?: string): string;
}

/** A `tools/call` request, as the runtime hands it to `createTask`. */
export function toolCallRequest(name = 'contract_tool'): Request {
  return { method: 'tools/call', params: { name, arguments: { text: 'hello' } } };
}

/** A small `CallToolResult`. */
export function toolResult(text: string, isError = false): Result {
  return isError
    ? { content: [{ type: 'text', text }], isError: true }
    : { content: [{ type: 'text', text }], structuredContent: { text, nested: { list: [1, 2, 3] } } };
}

/**
 * Store options the kit uses unless a check needs others: a minTtl of 1 ms, generous limits, a
 * small page size and a recognisable default poll interval.
 */
export function baseStoreOptions(overrides: TaskStoreOptions = {}): TaskStoreOptions {
  return {
    ...overrides,
    ttl: { minTtl: 1, defaultTtl: 600_000, maxTtl: 3_600_000, ...overrides.ttl },
    limits: { maxTasks: 100_000, maxActiveTasksPerScope: 10_000, ...overrides.limits },
    pageSize: overrides.pageSize ?? 5,
    defaultPollInterval: overrides.defaultPollInterval ?? 777,
  };
}

let requestCounter = 0;

/**
 * Registers one check: opens a fresh store with `baseStoreOptions(storeOptions)` (or exactly
 * `storeOptions` when `raw` is set), runs `body`, and closes the store whatever happens.
 */
export function storeCheck(
  suite: StoreSuite,
  name: string,
  body: (check: StoreCheck) => Promise<void>,
  storeOptions: TaskStoreOptions = {},
  raw = false,
): void {
  it(name, { timeout: suite.options.timeoutMs }, async (t) => {
    const store = await suite.makeStore(raw ? storeOptions : baseStoreOptions(storeOptions));
    try {
      await body({
        store,
        t,
        create: (scope, params = {}) => store.createTask(params, `req-${++requestCounter}`, toolCallRequest(), scope),
        newScope: (label = 'scope') => `${label}-${randomUUID()}`,
      });
    } finally {
      await store.close();
    }
  });
}
