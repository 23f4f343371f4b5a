/**
 * The MCP tasks (2025-11-25, SEP-1686) conformance suite: run it against any server over
 * Streamable HTTP, stdio or an in-process transport.
 *
 * ```ts
 * import { runConformance, formatReport } from 'mcp-tasks/conformance';
 * const report = await runConformance({ target: { url: 'http://127.0.0.1:3000/mcp' } });
 * console.log(formatReport(report));
 * ```
 */
export { runConformance, selectChecks, unmetNeed, gatherFacts, type RunOptions, type ProgressEvent } from './runner.js';
export { ALL_CHECKS } from './checks/index.js';
export { runClientConformance, type ClientDriver, type ClientTarget, type ClientRunOptions, type ClientProgressEvent, type ScenarioRun } from './client/runner.js';
export { CLIENT_CHECKS } from './client/checks/index.js';
export type { ClientCheck } from './client/check.js';
export { SCENARIOS, scenarioNamed, type Scenario, type ScenarioName } from './client/scenarios.js';
export { planTools, describeBound, ROLE_BEHAVIOUR, type Role, type RoleChoice, type ToolChoices, type BoundTool, type ToolPlan } from './discovery/toolPlan.js';
export { parseProfile, parseJsonObject, checkRole, ProfileError, type Profile } from './discovery/profile.js';
export { minimalInstance, textProperty, NoInstanceError, type InstanceOptions } from './discovery/schemaInstance.js';
export { parseBaseline, formatBaseline, applyBaseline, BaselineError, type Baseline } from './baseline.js';
export { formatReport, formatProgress, reportToJson } from './report.js';
export { FIXTURE_TASK_SUPPORT } from './fixtures.js';
export { registerConformanceFixtures, conformanceFixtureTools, FIXTURE_TOOL_NAMES, FixtureProtocolError } from './fixtureTools.js';
export { registerOfficialFixtures, OFFICIAL_FIXTURE_NAMES } from './officialFixtures.js';
export { runOfficialScenario, runOfficialScenarios, scenarioPassed, failureLines, judge, locateOfficialSuite, OFFICIAL_TASK_SCENARIOS, WIRE_SCHEMA_CHECK, type OfficialCheck, type OfficialScenarioRun } from './official/officialSuite.js';
export type { ToolRegistrar } from './zodTool.js';
export {
  ConnectError,
  openTarget,
  splitCommand,
  type TargetSpec,
  type UrlTarget,
  type CommandTarget,
  type ConnectTarget,
  type Identity,
  type RequestorMode,
} from './target.js';
export { Peer, DEFAULT_CLIENT_CAPABILITIES, type RawOutcome, type RawError, type Inbound } from './peer.js';
export { CheckContext, type ServerFacts } from './context.js';
export type { Check } from './check.js';
export type { CheckNeeds, CheckResult, Report, Outcome, Severity, Keyword, FixtureName, TaskCapability } from './types.js';
export { severityOf } from './types.js';
