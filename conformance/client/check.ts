/** One client conformance check: the requirement, the scenario whose trace it reads, and the reading. */
import type { Keyword } from '../types.js';
import type { ClientCheckContext } from './context.js';
import type { ScenarioName } from './scenarios.js';

/** A check of the client under test, keyed by a requirement ID of docs/requirements.md. */
export interface ClientCheck {
  id: string;
  keyword: Keyword;
  section: string;
  title: string;
  /** The scenario whose trace the check reads. */
  scenario: ScenarioName;
  /** Reads the trace; records through `ctx`. */
  run(ctx: ClientCheckContext): void;
}
