/**
 * Side-channel mode `'standalone-stream'`: a task's queued requests go out as server-initiated
 * requests of the session, so on Streamable HTTP they use the standalone GET SSE stream. For
 * JSON-response mode (`enableJsonResponse`), where the SDK drops requests written to a request
 * stream (F4).
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ResultSchema, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { SideChannelDelivery } from '../../runtime/sideChannel.js';

/** Delivery as requests of the session of `server`. */
export function standaloneStreamDelivery(server: Server): SideChannelDelivery {
  return {
    sendRequest: (request, timeout) => server.request(request as ServerRequest, ResultSchema, { timeout }),
    sendNotification: (notification) => server.notification(notification as ServerNotification),
  };
}
