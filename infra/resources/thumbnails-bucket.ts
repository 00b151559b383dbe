import { thumbnailsBucketName } from './bucket-names.ts'
import { privateBucket } from './private-bucket.ts'
import type { CfnResources } from './types.ts'

export const thumbnailsDistributionLogicalId = 'ThumbnailsDistribution'

/** Thumbnails are written by the resize function only and seen through the thumbnails distribution. */
export const thumbnailsBucket: CfnResources = privateBucket({
  logicalId: 'ThumbnailsBucket',
  bucketName: thumbnailsBucketName,
  distributionLogicalId: thumbnailsDistributionLogicalId,
  corsMethods: [],
})
