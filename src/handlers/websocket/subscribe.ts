import { connections } from './connection-services.ts'
import { messageOf, reply, websocketRoute } from './websocket-route.ts'

/** `{"action": "subscribe", "groupId": "..."}`: uploads to that group are pushed to this connection. */
export const handler = websocketRoute(async (event) => {
  const { groupId } = await connections.subscribe(event.requestContext.connectionId, messageOf(event))
  return reply(200, { type: 'subscribed', groupId })
})
