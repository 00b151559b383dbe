import { connections } from './connection-services.ts'
import { reply, websocketRoute } from './websocket-route.ts'

/** `$disconnect`: forgets the connection and its subscriptions. */
export const handler = websocketRoute(async (event) => {
  await connections.disconnect(event.requestContext.connectionId)
  return reply(200, { type: 'disconnected' })
})
