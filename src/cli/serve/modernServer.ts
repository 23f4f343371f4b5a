/**
 * The reference server's 2026-07-28 side: the tasks extension on the process's shared
 * `TaskSupport` (same store, same tasks as the 2025-11-25 side), with the official suite's fixtures
 * and this project's conformance fixtures, served by the v2 SDK's `createMcpHandler` with task
 * subscriptions in front (modern requests only: 2025-11-25 traffic stays on the host's own transports).
 */
import { registerConformanceFixtures } from '../../../conformance/fixtureTools.js';
import { registerOfficialFixtures } from '../../../conformance/officialFixtures.js';
import { TasksExtension } from '../../extension/index.js';
import type { TaskSupport } from '../../runtime/taskSupport.js';
import type { ModernHttpHandler } from './modernLeg.js';
import { REFERENCE_SERVER_NAME, REFERENCE_SERVER_VERSION } from './referenceServer.js';

/** The fetch-shaped 2026-07-28 handler of one reference-server process. */
export function createModernHandler(taskSupport: TaskSupport): ModernHttpHandler {
  const extension = new TasksExtension({ taskSupport });
  registerOfficialFixtures(extension);
  registerConformanceFixtures(extension);
  return extension.httpHandler({ name: REFERENCE_SERVER_NAME, version: REFERENCE_SERVER_VERSION });
}
