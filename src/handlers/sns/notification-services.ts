import {
  createManagementApiClient,
  ManagementApiClientNotifier,
} from '#adapters/apigateway/management-api-client-notifier.ts'
import { createDocumentClient } from '#adapters/aws/aws-clients.ts'
import { DynamoDbImageRepository } from '#adapters/dynamodb/dynamodb-image-repository.ts'
import { DynamoDbSubscriptionRegistry } from '#adapters/dynamodb/dynamodb-subscription-registry.ts'
import { loadUploadEventsConfig } from '#config/upload-events-config.ts'
import { groupNotifications } from '#core/notifications/group-notifications.ts'
import { tracing } from '../shared/observability.ts'
import { countedNotifications, imagesInLogContext } from './observed-ports.ts'

/**
 * The composition root of the functions upload events reach: what telling subscribers needs, built
 * once per cold start. The thumbnail function adds S3 and sharp in thumbnail-services.ts.
 */
export const config = loadUploadEventsConfig(process.env)
export const documentClient = createDocumentClient({
  region: config.region,
  endpoint: config.dynamoDbEndpoint,
  tracer: tracing,
})
export const images = imagesInLogContext(
  new DynamoDbImageRepository({
    client: documentClient,
    tableName: config.imagesTable,
    imageIdIndexName: config.imageIdIndex,
  }),
)
const registry = new DynamoDbSubscriptionRegistry({
  client: documentClient,
  tableName: config.connectionsTable,
  groupIndexName: config.groupSubscribersIndex,
})
const notifier = new ManagementApiClientNotifier(
  createManagementApiClient({ region: config.region, endpoint: config.managementEndpoint, tracer: tracing }),
)
export const notifications = countedNotifications(groupNotifications({ registry, notifier }))
