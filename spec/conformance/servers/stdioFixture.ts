/**
 * The fixture server over stdio (for the CLI tests): `node stdioFixture.js [--required-as-is-error]`.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createFixtureServer, TaskWorld } from './fixtureServer.js';

const world = new TaskWorld();
const server = createFixtureServer(world, 'stdio', { requiredAsIsError: process.argv.includes('--required-as-is-error') });
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => {
  world.close();
  void server.close();
});
