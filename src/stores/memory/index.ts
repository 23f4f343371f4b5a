/** In-memory backends: the embedded default store, message queue and response channel. */
export { InMemoryTaskStore } from './taskStore.js';
export { InMemoryTaskMessageQueue } from './messageQueue.js';
export {
  InMemoryTaskResponseChannel,
  DEFAULT_MAX_EARLY_RESPONSES,
  type InMemoryTaskResponseChannelOptions,
} from './responseChannel.js';
