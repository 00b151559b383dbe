import { connections } from './connection-services.ts'
import { messageOf, reply, websocketRoute } from './websocket-route.ts'

/** `{"action": "unsubscribe", "groupId": "..."}`. */
export const handler = websocketRoute(async (event) => {
  const { groupId } = await connections.unsubscribe(event.requestContext.connectionId, messageOf(event))
  return reply(200, { type: 'unsubscribed', groupId })
})
