import { test } from 'node:test';
import { assertEverythingReport, runOnEverything } from './servers/everythingRun.js';
import { EVERYTHING, EVERYTHING_STDIO } from './servers/everything.js';

test(`server-everything ${EVERYTHING.version} over stdio, no fixture and no flag: R13, R55 and R70 fail, 35+ checks run, its baseline holds`, async () => {
  assertEverythingReport(await runOnEverything({ command: EVERYTHING_STDIO }), 35);
});
