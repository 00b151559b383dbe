import { webSocketApiRoleLogicalIds } from '../resources/websocket-roles.ts'
import { webSocketAuthorizer } from './authorizer.ts'
import type { FunctionDefinition, Functions } from './types.ts'

/**
 * A route whose function answers the caller: with `routeResponseSelectionExpression: '$default'`
 * API Gateway sends what the function returns back on the connection; without one it drops it.
 */
const twoWay = (handler: string, route: string): FunctionDefinition => ({
  handler,
  events: [{ websocket: { route, routeResponseSelectionExpression: '$default' } }],
})

/**
 * The WebSocket API: clients connect with `?token=`, then send `{"action": "subscribe" |
 * "unsubscribe", ...}` (provider.websocketsApiRouteSelectionExpression routes on `action`); anything
 * else reaches `$default`.
 */
export const webSocketApiFunctions: Functions = {
  ConnectWebSocket: {
    handler: 'src/handlers/websocket/connect.handler',
    role: webSocketApiRoleLogicalIds.ConnectWebSocket,
    events: [{ websocket: { route: '$connect', authorizer: webSocketAuthorizer } }],
  },
  DisconnectWebSocket: {
    handler: 'src/handlers/websocket/disconnect.handler',
    role: webSocketApiRoleLogicalIds.DisconnectWebSocket,
    events: [{ websocket: { route: '$disconnect' } }],
  },
  WebSocketDefaultRoute: {
    ...twoWay('src/handlers/websocket/default-route.handler', '$default'),
    role: webSocketApiRoleLogicalIds.WebSocketDefaultRoute,
  },
  SubscribeToGroup: {
    ...twoWay('src/handlers/websocket/subscribe.handler', 'subscribe'),
    role: webSocketApiRoleLogicalIds.SubscribeToGroup,
  },
  UnsubscribeFromGroup: {
    ...twoWay('src/handlers/websocket/unsubscribe.handler', 'unsubscribe'),
    role: webSocketApiRoleLogicalIds.UnsubscribeFromGroup,
  },
}
