import type { CfnResources } from './types.ts'

export interface PrivateBucketOptions {
  /** The bucket's logical ID; its policy is `<logicalId>Policy` and its distribution `<distributionLogicalId>`. */
  logicalId: string
  bucketName: string
  /** The CloudFront distribution that serves the bucket's objects to browsers. */
  distributionLogicalId: string
  /** What browsers may do on the bucket itself across origins: PUT to upload through presigned URLs. */
  corsMethods: readonly 'PUT'[]
  /** More bucket properties, such as a NotificationConfiguration. */
  moreProperties?: Record<string, unknown>
  dependsOn?: readonly string[]
  /** Replaces parts of the distribution's default cache behaviour (functions, response headers). */
  cacheBehavior?: Record<string, unknown>
}

/** The bucket's ARN built from its name, for policies the bucket itself depends on (no GetAtt cycle). */
export const bucketArnFromName = (bucketName: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', bucketName]],
})

/** Managed policies of CloudFront, by their fixed ids (the same in every account). */
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6'
const SIMPLE_CORS = '60669652-455b-4ae9-85a4-c4c02393f86c'

/**
 * A bucket nobody reads directly (Block Public Access on, all four settings; the course makes its
 * images bucket public-read). Browsers get its objects through a CloudFront distribution that signs
 * its requests to S3 with origin access control: the bucket policy lets exactly that distribution
 * read, and every request must use TLS.
 */
export function privateBucket(options: PrivateBucketOptions): CfnResources {
  const bucketArn = { 'Fn::GetAtt': [options.logicalId, 'Arn'] }
  const objectsArn = { 'Fn::Join': ['', [bucketArn, '/*']] }
  const distributionArn = {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':cloudfront::',
        { Ref: 'AWS::AccountId' },
        ':distribution/',
        { Ref: options.distributionLogicalId },
      ],
    ],
  }
  return {
    [options.logicalId]: {
      Type: 'AWS::S3::Bucket',
      ...(options.dependsOn && { DependsOn: [...options.dependsOn] }),
      Properties: {
        BucketName: options.bucketName,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        // S3-managed keys (SSE-S3): S3 applies them to every object anyway since 2023; declared so the
        // template says so and a review does not have to know that. (SSE-KMS would need CloudFront
        // to be granted the key too.)
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
        ...(options.corsMethods.length > 0 && {
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
        }),
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
              Sid: 'ReadThroughItsDistributionOnly',
              Effect: 'Allow',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Action: 's3:GetObject',
              Resource: objectsArn,
              Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
            },
            {
              // Without it S3 answers a missing object with 403, and a deleted or never-uploaded
              // image would look forbidden rather than gone. The listing itself stays unreachable:
              // `/` is the default root object and the cache policy forwards no query string.
              Sid: 'MissingObjectsAreNotFound',
              Effect: 'Allow',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Action: 's3:ListBucket',
              Resource: bucketArn,
              Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
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
    [options.distributionLogicalId]: {
      Type: 'AWS::CloudFront::Distribution',
      Properties: {
        DistributionConfig: {
          Comment: `${options.bucketName}, for browsers`,
          Enabled: true,
          HttpVersion: 'http2and3',
          PriceClass: 'PriceClass_100',
          DefaultRootObject: 'index.html',
          Origins: [
            {
              Id: 'bucket',
              DomainName: { 'Fn::GetAtt': [options.logicalId, 'RegionalDomainName'] },
              // Empty: origin access control below, not the legacy origin access identity.
              S3OriginConfig: { OriginAccessIdentity: '' },
              OriginAccessControlId: { 'Fn::GetAtt': [bucketReaderLogicalId, 'Id'] },
            },
          ],
          DefaultCacheBehavior: {
            TargetOriginId: 'bucket',
            ViewerProtocolPolicy: 'redirect-to-https',
            AllowedMethods: ['GET', 'HEAD'],
            CachedMethods: ['GET', 'HEAD'],
            Compress: true,
            // Objects never change under a key (a new upload is a new image id), so they cache long.
            CachePolicyId: CACHING_OPTIMIZED,
            // Access-Control-Allow-Origin: *, so pages may also fetch() the images, not only show them.
            ResponseHeadersPolicyId: SIMPLE_CORS,
            ...options.cacheBehavior,
          },
        },
      },
    },
  }
}

/** The one origin access control: CloudFront signs every request to S3 (SigV4) as the distribution. */
export const bucketReaderLogicalId = 'BucketReaderOriginAccessControl'

export const bucketReader: CfnResources = {
  [bucketReaderLogicalId]: {
    Type: 'AWS::CloudFront::OriginAccessControl',
    Properties: {
      OriginAccessControlConfig: {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: resolved by osls
        Name: '${self:service}-${sls:stage}-bucket-reader',
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    },
  },
}
