import { createS3Client } from '#adapters/aws/aws-clients.ts'
import { S3ThumbnailStore, S3UploadedImages } from '#adapters/s3/s3-image-files.ts'
import { SharpThumbnailRenderer } from '#adapters/sharp/sharp-thumbnail-renderer.ts'
import { uploadProcessing } from '#core/images/upload-processing.ts'
import { tracing } from '../shared/observability.ts'
import { config, images, notifications } from './notification-services.ts'

const s3Client = createS3Client({
  region: config.region,
  endpoint: config.s3Endpoint,
  forcePathStyle: config.s3ForcePathStyle,
  tracer: tracing,
})

export const imagesBucket = config.imagesBucket
export const processing = uploadProcessing({
  images,
  uploads: new S3UploadedImages({ client: s3Client, bucket: config.imagesBucket }),
  thumbnails: new S3ThumbnailStore({
    client: s3Client,
    bucket: config.thumbnailsBucket,
    cdnUrl: config.thumbnailsCdnUrl,
  }),
  renderer: new SharpThumbnailRenderer(),
  notifications,
  maxUploadBytes: config.maxUploadBytes,
  thumbnailWidth: config.thumbnailWidth,
})
