import { connections } from './connection-services.ts'
import { reply, websocketRoute } from './websocket-route.ts'

/** `$connect`, after the authorizer let the caller in: registers the connection under the token's subject. */
export const handler = websocketRoute(async (event) => {
  const userId = event.requestContext.authorizer?.principalId
  if (typeof userId !== 'string' || userId.length === 0) {
    throw new Error('$connect is not behind the authorizer: no principalId in the request context')
  }
  await connections.connect(event.requestContext.connectionId, userId)
  return reply(200, { type: 'connected' })
})
