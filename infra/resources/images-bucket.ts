import { imagesBucketName } from './bucket-names.ts'
import { privateBucket } from './private-bucket.ts'
import type { CfnResources } from './types.ts'
import { uploadsTopicLogicalId, uploadsTopicPolicyLogicalId } from './uploads-topic.ts'

export const imagesDistributionLogicalId = 'ImagesDistribution'

/**
 * The originals. Browsers upload with a presigned PUT and see them through the images distribution.
 * Every new object is announced on the uploads topic; S3 checks that it may publish there when the
 * notification is created, so the bucket waits for the topic policy.
 */
export const imagesBucket: CfnResources = privateBucket({
  logicalId: 'ImagesBucket',
  bucketName: imagesBucketName,
  distributionLogicalId: imagesDistributionLogicalId,
  corsMethods: ['PUT'],
  moreProperties: {
    NotificationConfiguration: {
      TopicConfigurations: [{ Event: 's3:ObjectCreated:*', Topic: { Ref: uploadsTopicLogicalId } }],
    },
  },
  dependsOn: [uploadsTopicPolicyLogicalId],
})
