import type { IncomingMessage } from 'node:http'
import type { QueryPair } from './canonical-request.ts'
import { S3Error } from './s3-errors.ts'
import type { SignedRequest } from './sigv4-verifier.ts'

/** A request as S3 sees it with path-style addressing: `/<bucket>/<key>?<query>`. */
export interface S3Request extends SignedRequest {
  requestId: string
  /** Empty for service-level requests (`/`). */
  bucketName: string
  /** Empty for bucket-level requests (`/<bucket>` or `/<bucket>/`). */
  key: string
  sourceIp: string
  incoming: IncomingMessage
}

export function parseS3Request(incoming: IncomingMessage, requestId: string): S3Request {
  const url = incoming.url ?? '/'
  const queryStart = url.indexOf('?')
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart)
  const rawQuery = queryStart === -1 ? '' : url.slice(queryStart + 1)
  if (!rawPath.startsWith('/')) throw invalidUri()
  const bucketEnd = rawPath.indexOf('/', 1)
  return {
    requestId,
    method: incoming.method ?? 'GET',
    rawPath,
    query: parseQuery(rawQuery),
    headers: collectHeaders(incoming.rawHeaders),
    bucketName: decode(bucketEnd === -1 ? rawPath.slice(1) : rawPath.slice(1, bucketEnd)),
    key: bucketEnd === -1 ? '' : decode(rawPath.slice(bucketEnd + 1)),
    sourceIp: incoming.socket.remoteAddress ?? '',
    incoming,
  }
}

export function queryValue(request: S3Request, name: string): string | undefined {
  return request.query.find(([key]) => key === name)?.[1]
}

/** `+` stays a plus sign: S3 clients percent-encode spaces (`%20`) in what they sign. */
function parseQuery(rawQuery: string): QueryPair[] {
  return rawQuery
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const separator = part.indexOf('=')
      return separator === -1
        ? ([decode(part), ''] as const)
        : ([decode(part.slice(0, separator)), decode(part.slice(separator + 1))] as const)
    })
}

/** Lower-case names; a repeated header's values joined with a comma, as SigV4 canonicalizes them. */
export function collectHeaders(rawHeaders: readonly string[]): Map<string, string> {
  const headers = new Map<string, string>()
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase()
    const value = rawHeaders[index + 1] ?? ''
    const previous = headers.get(name)
    headers.set(name, previous === undefined ? value : `${previous},${value}`)
  }
  return headers
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch (error) {
    throw invalidUri(error)
  }
}

function invalidUri(cause?: unknown): S3Error {
  return new S3Error('InvalidURI', "Couldn't parse the specified URI.", { cause })
}
