// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import { imagesBucketName } from './bucket-names.ts'
import { bucketArnFromName } from './private-bucket.ts'
import type { CfnResources } from './types.ts'

export const uploadsTopicLogicalId = 'UploadsTopic'
export const uploadsTopicPolicyLogicalId = 'UploadsTopicPolicy'
/** The sns events need the name too: osls cannot derive it from a `Ref`. */
export const uploadsTopicName = '${self:service}-${sls:stage}-uploads'

/**
 * S3 announces each upload here once and every consumer (resize, notify) subscribes, instead of the
 * bucket invoking one function that then has to fan out.
 */
export const uploadsTopic: CfnResources = {
  [uploadsTopicLogicalId]: {
    Type: 'AWS::SNS::Topic',
    Properties: { TopicName: uploadsTopicName },
  },
  [uploadsTopicPolicyLogicalId]: {
    Type: 'AWS::SNS::TopicPolicy',
    Properties: {
      Topics: [{ Ref: uploadsTopicLogicalId }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ImagesBucketPublishes',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: uploadsTopicLogicalId },
            // Only this stack's images bucket, in this account: S3 is a shared service principal, and
            // a bucket name alone could be someone else's after this one is deleted (confused deputy).
            // The ARN comes from the name, because GetAtt on the bucket would depend on the bucket,
            // which itself waits for this policy.
            Condition: {
              ArnLike: { 'aws:SourceArn': bucketArnFromName(imagesBucketName) },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          },
        ],
      },
    },
  },
}
