/** The side-channel delivery of each mode (see `SideChannelMode`). */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { SideChannelDelivery } from '../../runtime/sideChannel.js';
import type { SideChannelMode } from '../options.js';
import type { ServerRequestExtra } from '../scope.js';
import { requestStreamDelivery } from './requestStream.js';
import { routedDelivery } from './routed.js';
import { standaloneStreamDelivery } from './standaloneStream.js';

/** Where a `tasks/result` received by `server` delivers the task's queued messages in `mode`. */
export function deliveryFor(mode: SideChannelMode, server: Server, extra: ServerRequestExtra): SideChannelDelivery {
  if (mode === 'routed') return routedDelivery(server, extra);
  if (mode === 'standalone-stream') return standaloneStreamDelivery(server);
  return requestStreamDelivery(extra);
}
