import { imagesBucketName } from './bucket-names.ts'
import { publicBucket } from './public-bucket.ts'
import type { CfnResources } from './types.ts'
import { uploadsTopicLogicalId, uploadsTopicPolicyLogicalId } from './uploads-topic.ts'

/**
 * The originals. Browsers upload with a presigned PUT and show them by plain URL. Every new object is
 * announced on the uploads topic; S3 checks that it may publish there when the notification is
 * created, so the bucket waits for the topic policy.
 */
export const imagesBucket: CfnResources = publicBucket({
  logicalId: 'ImagesBucket',
  bucketName: imagesBucketName,
  publicReadSid: 'PublicReadImages',
  corsMethods: ['PUT', 'GET', 'HEAD'],
  moreProperties: {
    NotificationConfiguration: {
      TopicConfigurations: [{ Event: 's3:ObjectCreated:*', Topic: { Ref: uploadsTopicLogicalId } }],
    },
  },
  dependsOn: [uploadsTopicPolicyLogicalId],
})
