/** R3 [SHOULD] (Capabilities): a requestor augments a request with task only if the receiver declared the capability. */
import type { ClientCheck } from '../check.js';
import { noTaskWithoutCapability } from './taskWithoutCapability.js';

export const R3: ClientCheck = {
  id: 'R3',
  keyword: 'SHOULD',
  section: 'Capabilities',
  title: 'task augmentation only for what the server declared (tasks.requests.tools.call)',
  scenario: 'no-task-capability',
  run: noTaskWithoutCapability,
};
