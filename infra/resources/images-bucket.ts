import { imagesBucketName } from './bucket-names.ts'
import { withDataRetention } from './data-protection.ts'
import { privateBucket } from './private-bucket.ts'
import type { CfnResources } from './types.ts'
import { uploadsTopicLogicalId, uploadsTopicPolicyLogicalId } from './uploads-topic.ts'

export const imagesDistributionLogicalId = 'ImagesDistribution'
export const imagesBucketLogicalId = 'ImagesBucket'

/**
 * How long an overwritten or deleted original stays recoverable. Versioning makes a DeleteObject
 * write a delete marker and keep the bytes as a noncurrent version, so without this expiry every
 * original DeleteImage deletes for its owner would stay billed forever; after it, the version goes,
 * and the then-lonely delete marker is removed too (ExpiredObjectDeleteMarker).
 */
export const noncurrentOriginalsDays = 30

/**
 * Parts of a multipart upload that never completed are invisible in listings but billed until
 * aborted. A day is far longer than any upload of an image takes.
 */
export const abortIncompleteUploads = {
  Id: 'AbortIncompleteMultipartUploads',
  Status: 'Enabled',
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
}

/**
 * The originals. Browsers upload with a presigned PUT and see them through the images distribution.
 * Every new object is announced on the uploads topic; S3 checks that it may publish there when the
 * notification is created, so the bucket waits for the topic policy. Versioned, so an original
 * deleted or overwritten by mistake can be restored for `noncurrentOriginalsDays`.
 */
const resources = privateBucket({
  logicalId: imagesBucketLogicalId,
  bucketName: imagesBucketName,
  distributionLogicalId: imagesDistributionLogicalId,
  corsMethods: ['PUT'],
  moreProperties: {
    NotificationConfiguration: {
      TopicConfigurations: [{ Event: 's3:ObjectCreated:*', Topic: { Ref: uploadsTopicLogicalId } }],
    },
    VersioningConfiguration: { Status: 'Enabled' },
    LifecycleConfiguration: {
      Rules: [
        {
          Id: 'ExpireNoncurrentOriginals',
          Status: 'Enabled',
          NoncurrentVersionExpiration: { NoncurrentDays: noncurrentOriginalsDays },
          ExpiredObjectDeleteMarker: true,
        },
        abortIncompleteUploads,
      ],
    },
  },
  dependsOn: [uploadsTopicPolicyLogicalId],
})

export const imagesBucket: CfnResources = withDataRetention(resources, imagesBucketLogicalId)
