import type { CredentialScope } from './canonical-request.ts'
import { S3Error } from './s3-errors.ts'

/**
 * The fields of a SigV4 Authorization header or presigned query, parsed and checked for form,
 * each malformation answered with the error S3 gives for it.
 */

/** The longest a presigned URL may live: one week. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800

export type AuthVia = 'header' | 'query'

export interface ParsedCredential extends CredentialScope {
  accessKeyId: string
}

export function parseAuthorizationComponents(text: string): Map<string, string> {
  const components = new Map<string, string>()
  for (const part of text.split(',')) {
    const separator = part.indexOf('=')
    if (separator === -1) continue
    components.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim())
  }
  return components
}

export function parseCredential(text: string, via: AuthVia, expectedRegion: string): ParsedCredential {
  const parts = text.split('/')
  const [accessKeyId, date, region, service, terminator] = parts
  if (
    parts.length !== 5 ||
    accessKeyId === undefined ||
    date === undefined ||
    region === undefined ||
    service === undefined ||
    terminator === undefined ||
    accessKeyId === ''
  ) {
    throw malformed(
      via,
      'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    )
  }
  if (!/^\d{8}$/.test(date)) {
    throw malformed(
      via,
      `incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`,
    )
  }
  if (region !== expectedRegion) {
    throw malformed(via, `the region '${region}' is wrong; expecting '${expectedRegion}'`, {
      Region: expectedRegion,
    })
  }
  if (service !== 's3') {
    throw malformed(via, `incorrect service "${service}". This endpoint belongs to "s3".`)
  }
  if (terminator !== 'aws4_request') {
    throw malformed(via, `incorrect terminal "${terminator}". This endpoint uses "aws4_request".`)
  }
  return { accessKeyId, date, region, service }
}

export function checkCredentialDate(credential: ParsedCredential, amzDate: string, via: AuthVia): void {
  if (credential.date !== amzDate.slice(0, 8)) {
    throw malformed(
      via,
      `Invalid credential date "${credential.date}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`,
    )
  }
}

export function parseSignedHeaders(text: string, via: AuthVia): string[] {
  const names = text.split(';')
  if (names.some((name) => !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name))) {
    throw malformed(
      via,
      'SignedHeaders must be lower-case header names separated by ";".',
      {},
      'X-Amz-SignedHeaders',
    )
  }
  if (!names.includes('host')) {
    throw malformed(via, 'SignedHeaders must include host.', {}, 'X-Amz-SignedHeaders')
  }
  return names
}

export function parseExpires(text: string): number {
  if (!/^-?\d+$/.test(text)) {
    throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Expires should be a number')
  }
  const seconds = Number(text)
  if (seconds < 1) {
    throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Expires must be at least 1 second')
  }
  if (seconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
    throw new S3Error(
      'AuthorizationQueryParametersError',
      `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES_SECONDS}`,
    )
  }
  return seconds
}

/** `yyyyMMddTHHmmssZ`, the only date format SigV4 signs. */
export function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text)
  if (match === null) return undefined
  const [year, month, day, hours, minutes, seconds] = match.slice(1).map(Number)
  const date = new Date(
    Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 0, hours ?? 0, minutes ?? 0, seconds ?? 0),
  )
  const roundTrip = date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  return roundTrip === text ? date : undefined
}

export function malformed(
  via: AuthVia,
  reason: string,
  details: Record<string, string> = {},
  queryParameter = 'X-Amz-Credential',
): S3Error {
  return via === 'header'
    ? new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${reason}`, {
        details,
      })
    : new S3Error(
        'AuthorizationQueryParametersError',
        `Error parsing the ${queryParameter} parameter; ${reason}`,
        {
          details,
        },
      )
}

export function unsupportedMechanism(): S3Error {
  return new S3Error(
    'InvalidRequest',
    'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
  )
}
