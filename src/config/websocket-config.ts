import { type Environment, EnvironmentReader } from './environment-reader.ts'

export interface WebSocketConfig {
  region: string
  connectionsTable: string
  groupSubscribersIndex: string
  groupsTable: string
  groupsByTimeIndex: string
  connectionTtlSeconds: number
  dynamoDbEndpoint: string | undefined
}

/** The configuration of the WebSocket route functions. */
export function loadWebSocketConfig(env: Environment): WebSocketConfig {
  const read = new EnvironmentReader(env, 'WebSocket')
  const config: WebSocketConfig = {
    region: read.text('AWS_REGION'),
    connectionsTable: read.text('CONNECTIONS_TABLE'),
    groupSubscribersIndex: read.text('GROUP_SUBSCRIBERS_INDEX'),
    groupsTable: read.text('GROUPS_TABLE'),
    groupsByTimeIndex: read.text('GROUPS_BY_TIME_INDEX'),
    connectionTtlSeconds: read.integer('CONNECTION_TTL_SECONDS', { min: 60, max: 86_400 }),
    dynamoDbEndpoint: read.optionalUrl('AWS_ENDPOINT_URL_DYNAMODB'),
  }
  read.assertValid()
  return config
}
