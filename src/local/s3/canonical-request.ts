import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/**
 * SigV4 canonical request and signing key, as S3 computes them on the server side.
 * Checked against @smithy/signature-v4 in test/local/s3/canonical-request.test.ts.
 */

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256'
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

export type QueryPair = readonly [name: string, value: string]

/** AWS `UriEncode`: every byte but `A-Za-z0-9-_.~` percent-encoded, upper-case hex. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/**
 * S3's canonical URI: each path segment decoded once and encoded once. S3 does not double-encode
 * (other services do), so `/bucket/a%20b` stays `/bucket/a%20b` and an unencoded `!` becomes `%21`.
 * Throws URIError on malformed percent-encoding.
 */
export function canonicalUri(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join('/')
}

/** Sorted `name=value` pairs, both encoded; `excluded` names (compared as sent) are left out. */
export function canonicalQueryString(query: readonly QueryPair[], excluded: ReadonlySet<string>): string {
  return query
    .filter(([name]) => !excluded.has(name))
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(
      ([nameA, valueA], [nameB, valueB]) =>
        compareCodeUnits(nameA, nameB) || compareCodeUnits(valueA, valueB),
    )
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
}

/** Header values trimmed, inner runs of spaces and tabs collapsed to one space. */
export function canonicalHeaderValue(value: string): string {
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim()
}

export interface CanonicalRequestParts {
  method: string
  canonicalUri: string
  canonicalQuery: string
  signedHeaderNames: readonly string[]
  headerValue: (name: string) => string | undefined
  payloadHash: string
}

export function createCanonicalRequest(parts: CanonicalRequestParts): string {
  const headerLines = parts.signedHeaderNames.map(
    (name) => `${name}:${canonicalHeaderValue(parts.headerValue(name) ?? '')}\n`,
  )
  return [
    parts.method,
    parts.canonicalUri,
    parts.canonicalQuery,
    headerLines.join(''),
    parts.signedHeaderNames.join(';'),
    parts.payloadHash,
  ].join('\n')
}

export function createStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n')
}

export function deriveSigningKey(secretAccessKey: string, scope: CredentialScope): Buffer {
  const dateKey = hmac(`AWS4${secretAccessKey}`, scope.date)
  const regionKey = hmac(dateKey, scope.region)
  const serviceKey = hmac(regionKey, scope.service)
  return hmac(serviceKey, 'aws4_request')
}

export interface CredentialScope {
  date: string
  region: string
  service: string
}

export function formatScope(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`
}

export function hmacHex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex')
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Compares a computed secret value with a provided one without leaking where they differ. */
export function constantTimeEqual(expected: string, provided: string): boolean {
  const expectedBytes = Buffer.from(expected, 'utf8')
  const providedBytes = Buffer.from(provided, 'utf8')
  return expectedBytes.length === providedBytes.length && timingSafeEqual(expectedBytes, providedBytes)
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest()
}

function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0
  return a < b ? -1 : 1
}
