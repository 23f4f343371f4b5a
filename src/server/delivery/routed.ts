/**
 * Side-channel mode `'routed'`: like `'request-stream'`, but each request keeps this library's own
 * id and the answer is taken off the inbound messages of any server whose transport routes
 * responses (`routeResponses`), in any process: for stateless Streamable HTTP and several processes
 * behind one address, where the answer reaches another `Server` than the one that sent the request.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, McpError, type ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { SideChannelDelivery } from '../../runtime/sideChannel.js';
import type { ServerRequestExtra } from '../scope.js';

/** Delivery on the stream of the `tasks/result` request whose `extra` this is, with our ids. */
export function routedDelivery(server: Server, extra: ServerRequestExtra): SideChannelDelivery {
  return {
    sendRequest: () => Promise.reject(new Error('unused in routed mode')),
    sendNotification: (notification) => extra.sendNotification(notification as ServerNotification),
    forward: async (message) => {
      const transport = server.transport;
      if (!transport) throw new McpError(ErrorCode.ConnectionClosed, 'the server is not connected');
      await transport.send(message, { relatedRequestId: extra.requestId });
    },
  };
}
