/** Core layer: task model, state machine, ids, errors, Resolver and the storage contracts. */
export * from './errors.js';
export * from './status.js';
export * from './ids.js';
export * from './resolver.js';
export * from './ttl.js';
export * from './cursor.js';
export * from './taskStore.js';
export * from './messageQueue.js';
export * from './leases.js';
export * from './storeInput.js';
