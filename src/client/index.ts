/** Client task layer: task handles (requestor side, both directions) and client-hosted tasks. */
export * from './errors.js';
export * from './peer.js';
export * from './statusNotifications.js';
export * from './taskHandle.js';
export * from './requestAsTask.js';
export * from './callToolAsTask.js';
export * from './listTasks.js';
export * from './relatedTaskMeta.js';
export * from './clientTasks.js';
export * from './taskClient.js';
export * from './serverRequestors.js';
