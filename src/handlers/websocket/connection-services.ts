import { createDocumentClient } from '#adapters/aws/aws-clients.ts'
import { DynamoDbGroupRepository } from '#adapters/dynamodb/dynamodb-group-repository.ts'
import { DynamoDbSubscriptionRegistry } from '#adapters/dynamodb/dynamodb-subscription-registry.ts'
import { loadWebSocketConfig } from '#config/websocket-config.ts'
import { type ConnectionUseCases, connectionUseCases } from '#core/notifications/connection-use-cases.ts'
import { tracing } from '../shared/observability.ts'

/** The composition root of the WebSocket route functions, built once per cold start. */
const config = loadWebSocketConfig(process.env)
const client = createDocumentClient({
  region: config.region,
  endpoint: config.dynamoDbEndpoint,
  tracer: tracing,
})

export const connections: ConnectionUseCases = connectionUseCases({
  registry: new DynamoDbSubscriptionRegistry({
    client,
    tableName: config.connectionsTable,
    groupIndexName: config.groupSubscribersIndex,
  }),
  groups: new DynamoDbGroupRepository({
    client,
    tableName: config.groupsTable,
    byTimeIndexName: config.groupsByTimeIndex,
  }),
  ttlSeconds: config.connectionTtlSeconds,
})
