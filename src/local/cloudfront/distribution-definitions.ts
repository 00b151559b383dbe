import type { BucketDefinition } from '../serverless/bucket-definitions.ts'

/** A CloudFront distribution in front of one of the stack's buckets, as the local CDN serves it. */
export interface DistributionDefinition {
  logicalId: string
  bucketName: string
  /** Whether the bucket policy lets this distribution read (origin access control); S3 answers 403 if not. */
  mayRead: boolean
  allowedMethods: string[]
  /** The SimpleCORS response headers policy: `Access-Control-Allow-Origin: *` on every answer. */
  anyOrigin: boolean
}

interface Resource {
  Type: string
  Properties?: Record<string, unknown>
}

/** CloudFront's managed SimpleCORS response headers policy. */
const SIMPLE_CORS = '60669652-455b-4ae9-85a4-c4c02393f86c'

export function distributionDefinitions(
  resources: Record<string, Resource>,
  buckets: readonly BucketDefinition[],
): DistributionDefinition[] {
  const distributions: DistributionDefinition[] = []
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::CloudFront::Distribution') continue
    const config = resource.Properties?.DistributionConfig as
      | {
          Origins?: Array<{ DomainName?: unknown }>
          DefaultCacheBehavior?: { AllowedMethods?: string[]; ResponseHeadersPolicyId?: string }
          CacheBehaviors?: unknown[]
        }
      | undefined
    const origins = config?.Origins ?? []
    const bucketLogicalId = (origins[0]?.DomainName as { 'Fn::GetAtt'?: [string, string] } | undefined)?.[
      'Fn::GetAtt'
    ]?.[0]
    const bucketName = bucketLogicalId && resources[bucketLogicalId]?.Properties?.BucketName
    if (origins.length !== 1 || (config?.CacheBehaviors ?? []).length > 0 || typeof bucketName !== 'string') {
      throw new Error(
        `resource ${logicalId}: the local CDN serves distributions with one S3 origin named by GetAtt <bucket>.RegionalDomainName and no extra cache behaviors`,
      )
    }
    const bucket = buckets.find((candidate) => candidate.name === bucketName)
    distributions.push({
      logicalId,
      bucketName,
      mayRead: bucket?.distributionReaders.includes(logicalId) ?? false,
      allowedMethods: config?.DefaultCacheBehavior?.AllowedMethods ?? ['GET', 'HEAD'],
      anyOrigin: config?.DefaultCacheBehavior?.ResponseHeadersPolicyId === SIMPLE_CORS,
    })
  }
  return distributions
}
