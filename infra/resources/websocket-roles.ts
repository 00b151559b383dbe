// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import { allow, arnOf, functionRoles, roleLogicalIdsOf } from './lambda-roles.ts'

const connectionsTable = arnOf('ConnectionsTable')

/**
 * Forgetting a connection (DynamoDbSubscriptionRegistry.removeConnection): delete its item, find its
 * subscriptions with a consistent Query on the table, delete them in batches. Also done by the
 * functions that notify, when API Gateway answers that a connection is gone.
 */
export const forgettingConnections = allow(
  ['dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'],
  connectionsTable,
)

/**
 * Posting to clients through the Management API (`POST @connections/{id}`): only this stage of this
 * service's WebSocket API. osls's own grant, which it adds only to its shared role, would allow any
 * API in any region and account.
 */
export const postingToConnections = allow(['execute-api:ManageConnections'], {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':execute-api:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':',
      { Ref: 'WebsocketsApi' },
      '/${sls:stage}/POST/@connections/*',
    ],
  ],
})

/**
 * The WebSocket routes keep connections and subscriptions in the connections table; they answer on
 * the connection through the route response, so none of them needs the Management API.
 */
const webSocketApiGrants = {
  ConnectWebSocket: [allow(['dynamodb:PutItem'], connectionsTable)],
  DisconnectWebSocket: [forgettingConnections],
  // It only answers which actions exist.
  WebSocketDefaultRoute: [],
  SubscribeToGroup: [
    // The group must exist.
    allow(['dynamodb:GetItem'], arnOf('GroupsTable')),
    // Write the subscription, read the connection back consistently, take the subscription back if
    // the connection is gone (DynamoDbSubscriptionRegistry.subscribe).
    allow(['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem'], connectionsTable),
  ],
  UnsubscribeFromGroup: [allow(['dynamodb:DeleteItem'], connectionsTable)],
}

export const webSocketApiRoles = functionRoles(webSocketApiGrants)
export const webSocketApiRoleLogicalIds = roleLogicalIdsOf(webSocketApiGrants)
