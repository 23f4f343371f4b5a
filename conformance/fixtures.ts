/**
 * The fixture tools of the fixture contract (docs/conformance.md) and the `execution.taskSupport` each must declare. A check that
 * needs a fixture the server lacks (or declares differently) is skipped, never passed.
 */
import type { FixtureName } from './types.js';

/** Fixture tool name → the `taskSupport` the fixture contract gives it. */
export const FIXTURE_TASK_SUPPORT: Readonly<Record<FixtureName, 'optional' | 'required' | 'forbidden'>> = {
  tasks_conformance_optional: 'optional',
  tasks_conformance_required: 'required',
  tasks_conformance_forbidden: 'forbidden',
  tasks_conformance_tool_error: 'optional',
  tasks_conformance_protocol_error: 'optional',
  tasks_conformance_elicit: 'required',
  tasks_conformance_sample: 'required',
  tasks_conformance_progress: 'optional',
  tasks_conformance_hold: 'optional',
  tasks_conformance_stubborn: 'optional',
};
