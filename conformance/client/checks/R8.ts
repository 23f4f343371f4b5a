/** R8 [MUST NOT] (Tool negotiation): without tasks.requests.tools.call, no task augmentation on any tool. */
import type { ClientCheck } from '../check.js';
import { noTaskWithoutCapability } from './taskWithoutCapability.js';

export const R8: ClientCheck = {
  id: 'R8',
  keyword: 'MUST NOT',
  section: 'Tool negotiation',
  title: "no task augmentation when the server lacks tasks.requests.tools.call, whatever the tool's taskSupport",
  scenario: 'no-task-capability',
  run: noTaskWithoutCapability,
};
