import { S3Error } from './s3-errors.ts'

/** One rule of a bucket's CORS configuration, shaped like CloudFormation's `CorsConfiguration.CorsRules`. */
export interface S3CorsRule {
  AllowedMethods: string[]
  AllowedOrigins: string[]
  AllowedHeaders?: string[]
  ExposedHeaders?: string[]
  MaxAge?: number
}

const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD']

/** Fails fast on rules S3 would refuse to store. */
export function validateCorsRules(bucket: string, rules: readonly S3CorsRule[]): void {
  for (const [index, rule] of rules.entries()) {
    const where = `bucket "${bucket}" CORS rule ${index}`
    if (rule.AllowedMethods.length === 0 || rule.AllowedOrigins.length === 0) {
      throw new Error(`${where}: AllowedMethods and AllowedOrigins must not be empty`)
    }
    const unknownMethod = rule.AllowedMethods.find((method) => !CORS_METHODS.includes(method.toUpperCase()))
    if (unknownMethod !== undefined) {
      throw new Error(
        `${where}: AllowedMethods may only hold ${CORS_METHODS.join(', ')}, not "${unknownMethod}"`,
      )
    }
    const patterns = [...rule.AllowedOrigins, ...(rule.AllowedHeaders ?? [])]
    const overWildcarded = patterns.find((pattern) => pattern.split('*').length > 2)
    if (overWildcarded !== undefined) {
      throw new Error(`${where}: "${overWildcarded}" has more than one "*" wildcard`)
    }
    if (rule.MaxAge !== undefined && !(Number.isInteger(rule.MaxAge) && rule.MaxAge >= 0)) {
      throw new Error(`${where}: MaxAge must be a non-negative integer`)
    }
  }
}

/** Case-insensitive match where one `*` stands for any run of characters, as S3 matches origins and headers. */
export function matchesWildcard(pattern: string, value: string): boolean {
  const lowerPattern = pattern.toLowerCase()
  const lowerValue = value.toLowerCase()
  const star = lowerPattern.indexOf('*')
  if (star === -1) return lowerPattern === lowerValue
  const prefix = lowerPattern.slice(0, star)
  const suffix = lowerPattern.slice(star + 1)
  return (
    lowerValue.length >= prefix.length + suffix.length &&
    lowerValue.startsWith(prefix) &&
    lowerValue.endsWith(suffix)
  )
}

interface CorsRequest {
  origin: string
  method: string
  requestHeaders: readonly string[]
}

/** The first rule allowing the origin, the method and every requested header, as S3 picks it. */
export function findCorsRule(rules: readonly S3CorsRule[], request: CorsRequest): S3CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.AllowedOrigins.some((pattern) => matchesWildcard(pattern, request.origin)) &&
      rule.AllowedMethods.some((method) => method.toUpperCase() === request.method.toUpperCase()) &&
      request.requestHeaders.every((header) =>
        (rule.AllowedHeaders ?? []).some((pattern) => matchesWildcard(pattern, header)),
      ),
  )
}

/**
 * Answers an `OPTIONS` preflight like S3: the headers to send back, or a 403 `CORSResponse` when
 * no rule allows the request.
 */
export function evaluatePreflight(
  rules: readonly S3CorsRule[],
  headers: ReadonlyMap<string, string>,
): Record<string, string> {
  const origin = headers.get('origin')
  const method = headers.get('access-control-request-method')
  if (origin === undefined) {
    throw new S3Error('InvalidRequest', 'Insufficient information. Origin request header needed.')
  }
  if (method === undefined) {
    throw new S3Error('InvalidRequest', 'Invalid Access-Control-Request-Method: null')
  }
  if (rules.length === 0) {
    throw new S3Error('CORSResponse', 'CORS is not enabled for this bucket.')
  }
  const requestHeaders = (headers.get('access-control-request-headers') ?? '')
    .split(',')
    .map((header) => header.trim().toLowerCase())
    .filter((header) => header !== '')
  const rule = findCorsRule(rules, { origin, method, requestHeaders })
  if (rule === undefined) {
    throw new S3Error(
      'CORSResponse',
      "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      { details: { Method: method, ResourceType: 'OBJECT' } },
    )
  }
  return {
    ...corsResponseHeaders(rule, origin),
    ...(requestHeaders.length > 0 ? { 'Access-Control-Allow-Headers': requestHeaders.join(', ') } : {}),
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  }
}

/** The headers S3 adds to an actual (non-preflight) response whose Origin and method a rule allows. */
export function corsHeadersForRequest(
  rules: readonly S3CorsRule[],
  origin: string | undefined,
  method: string,
): Record<string, string> {
  if (origin === undefined) return {}
  const rule = findCorsRule(rules, { origin, method, requestHeaders: [] })
  if (rule === undefined) return {}
  return {
    ...corsResponseHeaders(rule, origin),
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  }
}

function corsResponseHeaders(rule: S3CorsRule, origin: string): Record<string, string> {
  const anyOrigin = rule.AllowedOrigins.includes('*')
  return {
    'Access-Control-Allow-Origin': anyOrigin ? '*' : origin,
    'Access-Control-Allow-Methods': rule.AllowedMethods.map((method) => method.toUpperCase()).join(', '),
    ...(anyOrigin ? {} : { 'Access-Control-Allow-Credentials': 'true' }),
    ...(rule.ExposedHeaders !== undefined && rule.ExposedHeaders.length > 0
      ? { 'Access-Control-Expose-Headers': rule.ExposedHeaders.join(', ') }
      : {}),
    ...(rule.MaxAge !== undefined ? { 'Access-Control-Max-Age': String(rule.MaxAge) } : {}),
  }
}
