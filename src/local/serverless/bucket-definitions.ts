/** The S3 buckets among the CloudFormation resources, as the local S3 needs them. */

export interface BucketDefinition {
  name: string
  /** True when a bucket policy lets anyone read objects (`s3:GetObject` to Principal `*`). */
  publicRead: boolean
  /**
   * The CloudFront distributions (logical IDs) the bucket policy lets read objects through origin
   * access control: `s3:GetObject` to the cloudfront.amazonaws.com service on the condition that
   * `AWS:SourceArn` is that distribution's ARN.
   */
  distributionReaders: string[]
  cors: Array<{
    AllowedMethods: string[]
    AllowedOrigins: string[]
    AllowedHeaders?: string[]
    ExposedHeaders?: string[]
    MaxAge?: number
  }>
}

interface Resource {
  Type: string
  Properties?: Record<string, unknown>
}

export function bucketDefinitions(resources: Record<string, Resource>): BucketDefinition[] {
  const publicLogicalIds = new Set<string>()
  const distributionReaders = new Map<string, string[]>()
  const distributions = Object.keys(resources).filter(
    (logicalId) => resources[logicalId]?.Type === 'AWS::CloudFront::Distribution',
  )
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::S3::BucketPolicy') continue
    const bucketRef = (resource.Properties?.Bucket as { Ref?: string } | undefined)?.Ref
    if (bucketRef === undefined) continue
    const statements = statementsOf(resource.Properties?.PolicyDocument)
    if (statements.some(grantsPublicRead)) publicLogicalIds.add(bucketRef)
    distributionReaders.set(
      bucketRef,
      distributions.filter((distribution) => statements.some((s) => grantsDistributionRead(s, distribution))),
    )
  }
  const buckets: BucketDefinition[] = []
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::S3::Bucket') continue
    const name = resource.Properties?.BucketName
    if (typeof name !== 'string') {
      throw new Error(`resource ${logicalId}: the local cloud needs BucketName as a plain string`)
    }
    const corsConfiguration = resource.Properties?.CorsConfiguration as
      | { CorsRules?: BucketDefinition['cors'] }
      | undefined
    buckets.push({
      name,
      publicRead: publicLogicalIds.has(logicalId),
      distributionReaders: distributionReaders.get(logicalId) ?? [],
      cors: corsConfiguration?.CorsRules ?? [],
    })
  }
  return buckets
}

type Statement = Record<string, unknown>

function statementsOf(document: unknown): Statement[] {
  const statements = (document as { Statement?: unknown } | undefined)?.Statement
  return Array.isArray(statements) ? statements : statements === undefined ? [] : [statements as Statement]
}

const allowsGetObject = (statement: Statement) => {
  const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action]
  return (
    statement.Effect === 'Allow' && actions.some((action) => action === 's3:GetObject' || action === 's3:*')
  )
}

function grantsPublicRead(statement: Statement): boolean {
  const principal = statement.Principal
  const anyone = principal === '*' || (principal as { AWS?: unknown } | undefined)?.AWS === '*'
  return allowsGetObject(statement) && anyone && statement.Condition === undefined
}

/** Origin access control: CloudFront may read, for this distribution's requests only. */
function grantsDistributionRead(statement: Statement, distributionLogicalId: string): boolean {
  const service = (statement.Principal as { Service?: unknown } | undefined)?.Service
  const sourceArn = (statement.Condition as { StringEquals?: Record<string, unknown> } | undefined)
    ?.StringEquals?.['AWS:SourceArn']
  return (
    allowsGetObject(statement) &&
    service === 'cloudfront.amazonaws.com' &&
    JSON.stringify(sourceArn ?? null).includes(JSON.stringify({ Ref: distributionLogicalId }))
  )
}
