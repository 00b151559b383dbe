import type { CfnResources } from './types.ts'

export interface PublicBucketOptions {
  /** The bucket's logical ID; its policy is `<logicalId>Policy`. */
  logicalId: string
  bucketName: string
  /** The Sid of the statement that lets anyone read objects. */
  publicReadSid: string
  /** What browsers may do across origins: GET/HEAD to show images, PUT to upload through presigned URLs. */
  corsMethods: readonly ('GET' | 'HEAD' | 'PUT')[]
  /** More bucket properties, such as a NotificationConfiguration. */
  moreProperties?: Record<string, unknown>
  dependsOn?: readonly string[]
}

/** The bucket's ARN built from its name, for policies the bucket itself depends on (no GetAtt cycle). */
export const bucketArnFromName = (bucketName: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', bucketName]],
})

/**
 * A bucket browsers read by plain URL: objects are world-readable through the bucket policy (never
 * ACLs, which stay blocked), only over TLS, and the bucket's CORS lets any page use `corsMethods`.
 */
export function publicBucket(options: PublicBucketOptions): CfnResources {
  const bucketArn = { 'Fn::GetAtt': [options.logicalId, 'Arn'] }
  const objectsArn = { 'Fn::Join': ['', [bucketArn, '/*']] }
  return {
    [options.logicalId]: {
      Type: 'AWS::S3::Bucket',
      ...(options.dependsOn && { DependsOn: [...options.dependsOn] }),
      Properties: {
        BucketName: options.bucketName,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        // S3-managed keys (SSE-S3): S3 applies them to every object anyway since 2023; declared so the
        // template says so and a review does not have to know that.
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        // ACLs stay blocked; only the public bucket policy below is allowed.
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: false,
        },
        CorsConfiguration: {
          CorsRules: [
            {
              AllowedOrigins: ['*'],
              AllowedMethods: [...options.corsMethods],
              AllowedHeaders: ['*'],
              ExposedHeaders: ['ETag'],
              MaxAge: 3000,
            },
          ],
        },
        ...options.moreProperties,
      },
    },
    [`${options.logicalId}Policy`]: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: options.logicalId },
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: options.publicReadSid,
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: objectsArn,
            },
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: [bucketArn, objectsArn],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
  }
}
