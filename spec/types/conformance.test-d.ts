import { expectAssignable, expectError, expectType } from 'tsd';
import {
  runClientConformance,
  runConformance,
  minimalInstance,
  type CheckResult,
  type ClientDriver,
  type ClientRunOptions,
  type Report,
  type RunOptions,
  type ScenarioName,
  type ScenarioRun,
} from '../../dist/conformance/index.js';

// discovery mode: roles map to a tool (with optional arguments), tool arguments are JSON objects
expectAssignable<RunOptions>({
  target: { url: 'http://127.0.0.1:3000/mcp' },
  tools: { roles: { hold: { tool: 'wait' }, elicit: { tool: 'ask', args: { topic: 'x' } } }, toolArgs: { wait: { ms: 5 } } },
  clientCapabilities: { elicitation: {} },
});
expectError<RunOptions>({ target: { url: 'u' }, tools: { roles: { waiting: { tool: 'wait' } } } });
expectType<string[]>(({} as CheckResult).tools);
expectType<'client' | undefined>(({} as Report).side);
expectType<unknown>(minimalInstance({ type: 'object' }));

// client conformance: a driver is a function of the scenario run; or a command, or listen
const driver: ClientDriver = async (run) => {
  expectType<string>(run.url);
  expectType<ScenarioName>(run.scenario);
  expectType<Record<string, unknown>>(run.arguments);
  expectType<AbortSignal>(run.signal);
};
expectAssignable<ClientRunOptions>({ client: { driver } });
expectAssignable<ClientRunOptions>({ client: { command: 'node driver.js' }, only: ['R31'], scenarioTimeoutMs: 5000 });
expectAssignable<ClientRunOptions>({ client: { listen: { port: 0, announce: (_s, _url: string) => undefined } } });
expectError<ClientRunOptions>({ client: { url: 'http://x' } });
expectType<Promise<Report>>(runClientConformance({ client: { driver } }));
expectType<Promise<Report>>(runConformance({ target: { command: 'node s.js' } }));
expectAssignable<ScenarioRun>({ url: 'u', scenario: 'input-required', tool: 't', arguments: {}, signal: new AbortController().signal });
