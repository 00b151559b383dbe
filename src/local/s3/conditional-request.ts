import type { ObjectMetadata } from './object-store.ts'
import { S3Error } from './s3-errors.ts'

/**
 * Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in the order of
 * RFC 9110 §13.2.2, which is also how S3 resolves them when several are sent: 'not-modified' for a
 * 304, 'proceed' to serve the object, or a thrown 412 PreconditionFailed.
 */
export function evaluateConditions(
  headers: ReadonlyMap<string, string>,
  object: ObjectMetadata,
): 'proceed' | 'not-modified' {
  const ifMatch = headers.get('if-match')
  if (ifMatch !== undefined) {
    if (!matchesETag(ifMatch, object.eTag)) throw preconditionFailed('If-Match')
  } else {
    const ifUnmodifiedSince = parseHttpDate(headers.get('if-unmodified-since'))
    if (ifUnmodifiedSince !== undefined && object.lastModified.getTime() > ifUnmodifiedSince) {
      throw preconditionFailed('If-Unmodified-Since')
    }
  }
  const ifNoneMatch = headers.get('if-none-match')
  if (ifNoneMatch !== undefined) {
    return matchesETag(ifNoneMatch, object.eTag) ? 'not-modified' : 'proceed'
  }
  const ifModifiedSince = parseHttpDate(headers.get('if-modified-since'))
  if (ifModifiedSince !== undefined && object.lastModified.getTime() <= ifModifiedSince) return 'not-modified'
  return 'proceed'
}

function matchesETag(header: string, eTag: string): boolean {
  const wanted = normalizeETag(eTag)
  return header
    .split(',')
    .map((candidate) => candidate.trim())
    .some((candidate) => candidate === '*' || normalizeETag(candidate) === wanted)
}

function normalizeETag(eTag: string): string {
  return eTag.replace(/^W\//, '').replace(/^"|"$/g, '')
}

function parseHttpDate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const time = Date.parse(text)
  return Number.isNaN(time) ? undefined : time
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
    details: { Condition: condition },
  })
}
