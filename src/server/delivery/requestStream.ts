/**
 * Side-channel mode `'request-stream'` (the default): a task's queued requests go out as requests
 * related to the open `tasks/result` request, so on Streamable HTTP they ride that POST's SSE stream
 * (the spec's intended path) and the SDK routes the answer back.
 */
import { ResultSchema, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { SideChannelDelivery } from '../../runtime/sideChannel.js';
import type { ServerRequestExtra } from '../scope.js';

/** Delivery on the stream of the `tasks/result` request whose `extra` this is. */
export function requestStreamDelivery(extra: ServerRequestExtra): SideChannelDelivery {
  return {
    sendRequest: (request, timeout) => extra.sendRequest(request as ServerRequest, ResultSchema, { timeout }),
    sendNotification: (notification) => extra.sendNotification(notification as ServerNotification),
  };
}
