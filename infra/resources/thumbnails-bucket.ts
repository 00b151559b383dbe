import { thumbnailsBucketName } from './bucket-names.ts'
import { publicBucket } from './public-bucket.ts'
import type { CfnResources } from './types.ts'

/** Thumbnails are written by the resize function only and shown by plain URL. */
export const thumbnailsBucket: CfnResources = publicBucket({
  logicalId: 'ThumbnailsBucket',
  bucketName: thumbnailsBucketName,
  publicReadSid: 'PublicReadThumbnails',
  corsMethods: ['GET', 'HEAD'],
})
