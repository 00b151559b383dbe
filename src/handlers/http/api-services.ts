import { randomUUID } from 'node:crypto'
import { createDocumentClient, createS3Client } from '#adapters/aws/aws-clients.ts'
import { DynamoDbGroupRepository } from '#adapters/dynamodb/dynamodb-group-repository.ts'
import { DynamoDbImageRepository } from '#adapters/dynamodb/dynamodb-image-repository.ts'
import { S3ImageStorage } from '#adapters/s3/s3-image-storage.ts'
import { loadApiConfig } from '#config/api-config.ts'
import { type GroupUseCases, groupUseCases } from '#core/groups/group-use-cases.ts'
import { type ImageUseCases, imageUseCases } from '#core/images/image-use-cases.ts'

/** The composition root of the REST API functions: config, clients and adapters, built once per cold start. */
const config = loadApiConfig(process.env)
const documentClient = createDocumentClient({ region: config.region, endpoint: config.dynamoDbEndpoint })
const s3Client = createS3Client({
  region: config.region,
  endpoint: config.s3Endpoint,
  forcePathStyle: config.s3ForcePathStyle,
})

const groups = new DynamoDbGroupRepository({
  client: documentClient,
  tableName: config.groupsTable,
  byTimeIndexName: config.groupsByTimeIndex,
})
const images = new DynamoDbImageRepository({
  client: documentClient,
  tableName: config.imagesTable,
  imageIdIndexName: config.imageIdIndex,
})
const storage = new S3ImageStorage({
  client: s3Client,
  bucket: config.imagesBucket,
  region: config.region,
  uploadUrlExpiresInSeconds: config.signedUrlExpirationSeconds,
  endpoint: config.s3Endpoint,
})
const clock = { now: () => new Date() }
const ids = { newId: () => randomUUID() }

export const cors = { origin: config.corsAllowedOrigin }
export const groupApi: GroupUseCases = groupUseCases({ groups, clock, ids })
export const imageApi: ImageUseCases = imageUseCases({ groups, images, storage, clock, ids })
