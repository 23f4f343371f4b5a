/** The contract kit run against the in-memory store, queue and response channel. */
import { describeTaskMessageQueueContract, describeTaskResponseChannelContract, describeTaskStoreContract } from '../../src/testing/index.js';
import { InMemoryTaskMessageQueue, InMemoryTaskResponseChannel, InMemoryTaskStore } from '../../src/stores/memory/index.js';

describeTaskStoreContract('InMemoryTaskStore', (options) => new InMemoryTaskStore(options));
describeTaskMessageQueueContract('InMemoryTaskMessageQueue', (options) => new InMemoryTaskMessageQueue(options));
describeTaskResponseChannelContract('InMemoryTaskResponseChannel', () => new InMemoryTaskResponseChannel());
