import type { OutgoingHttpHeaders } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { parseByteRange } from './byte-range.ts'
import { checksumHeaderName } from './checksums.ts'
import { evaluateConditions } from './conditional-request.ts'
import type { ObjectMetadata } from './object-store.ts'
import type { OperationContext } from './operation-context.ts'
import { S3Error } from './s3-errors.ts'

/** Query parameters a signed GET may use to override the stored headers (S3's `response-*`). */
const RESPONSE_OVERRIDES: Readonly<Record<string, string>> = {
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
  'response-content-language': 'Content-Language',
  'response-content-type': 'Content-Type',
  'response-expires': 'Expires',
}

/** GetObject (`withBody`) and HeadObject: conditional requests, one byte range, stored headers. */
export async function getObject(context: OperationContext, options: { withBody: boolean }): Promise<void> {
  const { request, response, store, bucket } = context
  const overrides = responseOverrides(context)
  const snapshot = await store.open(bucket.name, request.key)
  if (snapshot === undefined) {
    throw new S3Error('NoSuchKey', 'The specified key does not exist.', { details: { Key: request.key } })
  }
  let streaming = false
  try {
    const object = snapshot.metadata
    const validators = { ETag: object.eTag, 'Last-Modified': object.lastModified.toUTCString() }
    if (evaluateConditions(request.headers, object) === 'not-modified') {
      response.writeHead(304, validators)
      response.end()
      return
    }
    const range = parseByteRange(request.headers.get('range'), object.size)
    const wantsChecksum = request.headers.get('x-amz-checksum-mode')?.toUpperCase() === 'ENABLED'
    const headers: OutgoingHttpHeaders = {
      'Content-Type': object.contentType,
      'Content-Length': String(range === undefined ? object.size : range.end - range.start + 1),
      ...validators,
      'Accept-Ranges': 'bytes',
      ...object.headers,
      ...userMetadataHeaders(object),
      ...(range === undefined ? {} : { 'Content-Range': `bytes ${range.start}-${range.end}/${object.size}` }),
      // S3 only sends the full-object checksum when the full object is sent.
      ...(wantsChecksum && range === undefined && object.checksum !== undefined
        ? {
            [checksumHeaderName(object.checksum.algorithm)]: object.checksum.value,
            'x-amz-checksum-type': 'FULL_OBJECT',
          }
        : {}),
      ...overrides,
    }
    response.writeHead(range === undefined ? 200 : 206, headers)
    if (!options.withBody) {
      response.end()
      return
    }
    streaming = true
    await pipeline(snapshot.stream(range), response)
  } finally {
    if (!streaming) await snapshot.release()
  }
}

function responseOverrides(context: OperationContext): Record<string, string> {
  const overrides: Record<string, string> = {}
  for (const [name, value] of context.request.query) {
    const header = RESPONSE_OVERRIDES[name]
    if (header !== undefined) overrides[header] = value
  }
  if (Object.keys(overrides).length > 0 && context.auth.kind === 'anonymous') {
    throw new S3Error(
      'InvalidRequest',
      'Request specific response headers cannot be used for anonymous GET requests.',
    )
  }
  return overrides
}

function userMetadataHeaders(object: ObjectMetadata): Record<string, string> {
  return Object.fromEntries(
    Object.entries(object.userMetadata).map(([name, value]) => [`x-amz-meta-${name}`, value]),
  )
}
