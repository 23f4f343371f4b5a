/** mcp-tasks: MCP tasks (2025-11-25, SEP-1686) on @modelcontextprotocol/sdk 1.32.x. */
export * from './core/index.js';
export * from './stores/memory/index.js';
export * from './server/index.js';
export * from './client/index.js';
