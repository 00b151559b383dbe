// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import type { CfnResources } from './types.ts'

const bucketArn = { 'Fn::GetAtt': ['ImagesBucket', 'Arn'] }
const objectsArn = { 'Fn::Join': ['', [bucketArn, '/*']] }

/**
 * Browsers upload with a presigned PUT and show images by plain URL, so objects are world-readable
 * through the bucket policy (never ACLs) and the bucket's CORS lets any page PUT and GET.
 */
export const imagesBucket: CfnResources = {
  ImagesBucket: {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: '${self:provider.environment.IMAGES_BUCKET}',
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
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
            AllowedMethods: ['PUT', 'GET', 'HEAD'],
            AllowedHeaders: ['*'],
            ExposedHeaders: ['ETag'],
            MaxAge: 3000,
          },
        ],
      },
    },
  },
  ImagesBucketPolicy: {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: { Ref: 'ImagesBucket' },
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PublicReadImages',
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
