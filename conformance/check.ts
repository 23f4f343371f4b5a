/** One conformance check: what it needs and how it runs. */
import type { CheckContext } from './context.js';
import type { CheckNeeds, Keyword } from './types.js';

/** One conformance check, keyed by the requirement ID it checks. */
export interface Check {
  /** Requirement id (docs/requirements.md), e.g. `R13`. */
  id: string;
  /** The requirement's keyword. */
  keyword: Keyword;
  /** Report section, e.g. `Capabilities`. */
  section: string;
  /** One line saying what is checked. */
  title: string;
  needs?: CheckNeeds;
  /** Runs the check; records what was sent, expected and seen through `ctx`. */
  run(ctx: CheckContext): Promise<void>;
}
