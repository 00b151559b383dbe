import { createS3Client } from '#adapters/aws/aws-clients.ts'
import { S3ThumbnailStore } from '#adapters/s3/s3-image-files.ts'
import { S3ImageStorage } from '#adapters/s3/s3-image-storage.ts'
import { type ImageUseCases, imageUseCases } from '#core/images/image-use-cases.ts'
import { tracing } from '../../shared/observability.ts'
import { clock, config, groups, ids, images } from './common.ts'

export { cors } from './common.ts'

const s3Client = createS3Client({
  region: config.region,
  endpoint: config.s3Endpoint,
  forcePathStyle: config.s3ForcePathStyle,
  tracer: tracing,
})
const storage = new S3ImageStorage({
  client: s3Client,
  bucket: config.imagesBucket,
  uploadUrlExpiresInSeconds: config.signedUrlExpirationSeconds,
  cdnUrl: config.imagesCdnUrl,
})
const thumbnails = new S3ThumbnailStore({
  client: s3Client,
  bucket: config.thumbnailsBucket,
  cdnUrl: config.thumbnailsCdnUrl,
})

export const imageApi: ImageUseCases = imageUseCases({
  groups,
  images,
  storage,
  thumbnails,
  clock,
  ids,
  maxUploadBytes: config.maxUploadBytes,
})
