import { randomUUID } from 'node:crypto'
import { createDocumentClient } from '#adapters/aws/aws-clients.ts'
import { DynamoDbGroupRepository } from '#adapters/dynamodb/dynamodb-group-repository.ts'
import { DynamoDbImageRepository } from '#adapters/dynamodb/dynamodb-image-repository.ts'
import { loadApiConfig } from '#config/api-config.ts'
import type { Clock } from '#core/ports/clock.ts'
import type { IdGenerator } from '#core/ports/id-generator.ts'
import { tracing } from '../../shared/observability.ts'

/**
 * The composition root of the REST API functions, split so that each function loads only the clients
 * it uses (the S3 client alone adds ~60 ms to a cold start): this part is what every one of them needs,
 * built once per cold start. The repositories share one DynamoDB client and cost nothing until used.
 */
export const config = loadApiConfig(process.env)
export const documentClient = createDocumentClient({
  region: config.region,
  endpoint: config.dynamoDbEndpoint,
  tracer: tracing,
})
export const groups = new DynamoDbGroupRepository({
  client: documentClient,
  tableName: config.groupsTable,
  byTimeIndexName: config.groupsByTimeIndex,
})
export const images = new DynamoDbImageRepository({
  client: documentClient,
  tableName: config.imagesTable,
  imageIdIndexName: config.imageIdIndex,
})
export const clock: Clock = { now: () => new Date() }
export const ids: IdGenerator = { newId: () => randomUUID() }
export const cors = { origin: config.corsAllowedOrigin }
