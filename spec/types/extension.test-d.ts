import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import type { CallToolResult, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { ServerContext } from '@modelcontextprotocol/server';
import {
  MISSING_CLIENT_CAPABILITY,
  TASKS_EXTENSION_ID,
  TasksExtension,
  TasksServer,
  type DetailedTask,
  type ExtensionScopeResolver,
  type ExtensionToolContext,
  type TasksHttpHandler,
} from '../../dist/src/extension/index.js';
import { TaskSupport } from '../../dist/src/server/index.js';
import type { ToolContext } from '../../dist/src/runtime/toolContext.js';

const extension = new TasksExtension({ taskSupport: TaskSupport.inMemory() });
expectType<'io.modelcontextprotocol/tasks'>(TASKS_EXTENSION_ID);
expectType<-32021>(MISSING_CLIENT_CAPABILITY);

// a handler gets the 2026-07-28 request context as ctx.extra; written against ToolContext it fits either binding
extension.registerTool({ name: 't', inputSchema: { type: 'object' } }, async (args, ctx) => {
  expectType<Record<string, unknown>>(args);
  expectType<ServerContext>(ctx.extra);
  expectType<Readonly<Record<string, ElicitResult>>>(ctx.inputs);
  expectAssignable<ToolContext<unknown>>(ctx);
  return { content: [] };
});
const neutral = async (_args: Record<string, unknown>, _ctx: ToolContext): Promise<CallToolResult> => ({ content: [] });
extension.registerTool({ name: 'n', inputSchema: { type: 'object' } }, neutral);
expectAssignable<ExtensionToolContext>({} as ExtensionToolContext);

// typed arguments come from the validator
extension.registerTool<{ n: number }>({ name: 'typed', inputSchema: { type: 'object' } }, async ({ n }) => ({ content: [{ type: 'text', text: String(n + 1) }] }), {
  validate: (raw) => raw as { n: number },
  inputs: { ask: { message: 'm', requestedSchema: { type: 'object', properties: {} } } },
});
expectError(extension.registerTool({ name: 'bad', inputSchema: { type: 'object' } }, async () => ({ content: 'x' })));
expectError(extension.registerTool({ name: 'bad', inputSchema: { type: 'object' } }, neutral, { inputs: { ask: { message: 1 } } }));

// the endpoint and the server
const handler = extension.httpHandler({ name: 's', version: '1' });
expectType<TasksHttpHandler>(handler);
expectType<Promise<Response>>(handler.fetch(new Request('http://127.0.0.1/mcp'), { authInfo: { token: 't', clientId: 'c', scopes: [] } }));
expectType<TasksServer>(extension.createServer({ name: 's', version: '1' }));

// scope resolvers see the request identity
const byClient: ExtensionScopeResolver = ({ authInfo }) => authInfo?.clientId;
new TasksExtension({ taskSupport: TaskSupport.inMemory(), scope: byClient, pollInterval: 500, ttl: null });
expectError(new TasksExtension({ taskSupport: TaskSupport.inMemory(), ttl: 'long' }));
expectError(new TasksExtension({}));

// a detailed task carries the extension's field names
expectAssignable<DetailedTask>({ taskId: 't', status: 'working', createdAt: '', lastUpdatedAt: '', ttlMs: null });
expectNotAssignable<DetailedTask>({ taskId: 't', status: 'working', createdAt: '', lastUpdatedAt: '', ttl: null });
