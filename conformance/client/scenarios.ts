/**
 * The scenarios of client conformance. In each, the scripted server offers one tool and the
 * client under test is asked to call it the way it normally would (as a task where it decides to)
 * and to wait for its result, answering any elicitation with `accept`. The checks then read what
 * the client sent.
 */

/** A scenario's name (what `MCP_CONFORMANCE_SCENARIO` says). */
export type ScenarioName = 'tool-required' | 'no-task-capability' | 'forbidden-tool' | 'input-required' | 'failed-task' | 'client-receiver';

/** One scenario: the server's declarations and the tool the client calls. */
export interface Scenario {
  name: ScenarioName;
  /** What the server does, in one line (report and docs). */
  title: string;
  /** Whether the server declares `tasks` (list, cancel, requests.tools.call). */
  serverTasks: boolean;
  /** The tool the driver calls, with these arguments. */
  tool: string;
  arguments: Record<string, unknown>;
}

/** Every scenario, in run order. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'tool-required',
    title: "a tool with taskSupport 'required' that works 1 s (pollInterval 250 ms) and completes",
    serverTasks: true,
    tool: 'conformance_task_tool',
    arguments: {},
  },
  {
    name: 'no-task-capability',
    title: "the same tool on a server that declares no tasks capability (a plain call is answered normally)",
    serverTasks: false,
    tool: 'conformance_task_tool',
    arguments: {},
  },
  {
    name: 'forbidden-tool',
    title: 'a tool without task support on a server that declares tasks',
    serverTasks: true,
    tool: 'conformance_plain_tool',
    arguments: {},
  },
  {
    name: 'input-required',
    title: 'a task that goes input_required and delivers its elicitation only on an open tasks/result',
    serverTasks: true,
    tool: 'conformance_elicit_tool',
    arguments: {},
  },
  {
    name: 'failed-task',
    title: 'a task that ends failed, its result a CallToolResult with isError: true',
    serverTasks: true,
    tool: 'conformance_failing_tool',
    arguments: {},
  },
  {
    name: 'client-receiver',
    title: 'a plain tool whose handler sends the client a task-augmented elicitation and then polls, fetches and cancels that task',
    serverTasks: true,
    tool: 'conformance_ask_tool',
    arguments: {},
  },
];

/** The scenario of a name, or undefined. */
export function scenarioNamed(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** How long the server-side task of `tool-required` works, and the poll interval it suggests (ms). */
export const TASK_WORK_MS = 1000;
export const TASK_POLL_INTERVAL_MS = 250;
