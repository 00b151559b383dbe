/** The S3 buckets among the CloudFormation resources, as the local S3 needs them. */

export interface BucketDefinition {
  name: string
  /** True when a bucket policy lets anyone read objects (`s3:GetObject` to Principal `*`). */
  publicRead: boolean
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
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::S3::BucketPolicy') continue
    const bucketRef = (resource.Properties?.Bucket as { Ref?: string } | undefined)?.Ref
    if (bucketRef !== undefined && grantsPublicRead(resource.Properties?.PolicyDocument))
      publicLogicalIds.add(bucketRef)
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
      cors: corsConfiguration?.CorsRules ?? [],
    })
  }
  return buckets
}

function grantsPublicRead(document: unknown): boolean {
  const statements = (document as { Statement?: unknown } | undefined)?.Statement
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements]
  return list.some((statement: Record<string, unknown>) => {
    const principal = statement.Principal
    const anyone = principal === '*' || (principal as { AWS?: unknown } | undefined)?.AWS === '*'
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action]
    return (
      statement.Effect === 'Allow' &&
      anyone &&
      statement.Condition === undefined &&
      actions.some((action) => action === 's3:GetObject' || action === 's3:*')
    )
  })
}
