import { thumbnailsBucketName } from './bucket-names.ts'
import { withDataRetention } from './data-protection.ts'
import { abortIncompleteUploads } from './images-bucket.ts'
import { privateBucket } from './private-bucket.ts'
import type { CfnResources } from './types.ts'

export const thumbnailsDistributionLogicalId = 'ThumbnailsDistribution'
export const thumbnailsBucketLogicalId = 'ThumbnailsBucket'

/**
 * Thumbnails are written by the resize function only and seen through the thumbnails distribution.
 * Not versioned: each is derived from its original and can be made again.
 */
const resources = privateBucket({
  logicalId: thumbnailsBucketLogicalId,
  bucketName: thumbnailsBucketName,
  distributionLogicalId: thumbnailsDistributionLogicalId,
  corsMethods: [],
  moreProperties: {
    LifecycleConfiguration: { Rules: [abortIncompleteUploads] },
  },
})

export const thumbnailsBucket: CfnResources = withDataRetention(resources, thumbnailsBucketLogicalId)
