import { createS3Client } from '#adapters/aws/aws-clients.ts'
import { DynamoDbImageRepository } from '#adapters/dynamodb/dynamodb-image-repository.ts'
import { S3ImageStorage } from '#adapters/s3/s3-image-storage.ts'
import { type ImageUseCases, imageUseCases } from '#core/images/image-use-cases.ts'
import { clock, config, documentClient, groups, ids } from './common.ts'

export { cors } from './common.ts'

const images = new DynamoDbImageRepository({
  client: documentClient,
  tableName: config.imagesTable,
  imageIdIndexName: config.imageIdIndex,
})
const s3Client = createS3Client({
  region: config.region,
  endpoint: config.s3Endpoint,
  forcePathStyle: config.s3ForcePathStyle,
})
const storage = new S3ImageStorage({
  client: s3Client,
  bucket: config.imagesBucket,
  region: config.region,
  uploadUrlExpiresInSeconds: config.signedUrlExpirationSeconds,
  endpoint: config.s3Endpoint,
})

export const imageApi: ImageUseCases = imageUseCases({ groups, images, storage, clock, ids })
