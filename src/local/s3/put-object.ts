import { decodeAwsChunked } from './aws-chunked.ts'
import { checksumHeaderName } from './checksums.ts'
import type { ObjectMetadata } from './object-store.ts'
import type { OperationContext } from './operation-context.ts'
import { S3Error } from './s3-errors.ts'
import { UploadIntegrity } from './upload-integrity.ts'

const MAX_KEY_BYTES = 1024
const MAX_USER_METADATA_BYTES = 2048
/** Headers S3 stores with the object and serves back on GET and HEAD. */
const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
]
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream'

export interface PutObjectOptions {
  maxObjectBytes: number
  /** Called once the object is committed, before the client is answered. */
  onStored: (object: ObjectMetadata) => void
}

/**
 * PutObject: streams the body into a pending upload while checking its size, signature-bound hash
 * and checksums, and commits it only when all hold.
 */
export async function putObject(context: OperationContext, options: PutObjectOptions): Promise<void> {
  const { request, response, auth, store, bucket, clock } = context
  if (request.headers.has('x-amz-copy-source')) {
    throw new S3Error('NotImplemented', 'CopyObject is not supported by the local S3.', {
      details: { Header: 'x-amz-copy-source' },
    })
  }
  const keyBytes = Buffer.byteLength(request.key, 'utf8')
  if (keyBytes > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', 'Your key is too long', {
      details: { Size: String(keyBytes), MaxSizeAllowed: String(MAX_KEY_BYTES) },
    })
  }
  const userMetadata = collectUserMetadata(context)
  const payload = auth.kind === 'signed' ? auth.payload : ({ kind: 'unsigned' } as const)
  const chunked = payload.kind === 'aws-chunked'
  const declaredSize = declaredObjectSize(request.headers, chunked)
  if (declaredSize !== undefined && declaredSize > options.maxObjectBytes) {
    throw entityTooLarge(declaredSize, options.maxObjectBytes)
  }
  const integrity = UploadIntegrity.fromHeaders(request.headers, payload)

  const upload = await store.startUpload(bucket.name)
  let metadata: ObjectMetadata
  try {
    const trailers = new Map<string, string>()
    // Not destroyed when the loop stops early, so the rest can be drained and the error answered.
    const raw = request.incoming.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>
    const body = chunked ? decodeAwsChunked(raw, { chunkSignatures: payload.chunkSignatures, trailers }) : raw
    let size = 0
    for await (const data of body) {
      size += data.length
      if (size > options.maxObjectBytes) throw entityTooLarge(size, options.maxObjectBytes)
      integrity.update(data)
      await upload.write(data)
    }
    if (declaredSize !== undefined && size !== declaredSize) {
      throw new S3Error(
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header',
      )
    }
    const { md5Hex, checksum } = integrity.verify(trailers)
    metadata = {
      key: request.key,
      size,
      eTag: `"${md5Hex}"`,
      // S3 keeps whole seconds: Last-Modified is an HTTP date, and If-Modified-Since must round-trip.
      lastModified: new Date(Math.floor(clock().getTime() / 1000) * 1000),
      contentType: request.headers.get('content-type') ?? DEFAULT_CONTENT_TYPE,
      headers: storedHeaders(request.headers),
      userMetadata,
      checksum,
    }
    await upload.commit(metadata)
  } catch (error) {
    await upload.abort().catch(() => undefined)
    throw error
  }
  options.onStored(metadata)
  response.writeHead(200, {
    ETag: metadata.eTag,
    'Content-Length': '0',
    ...(metadata.checksum === undefined
      ? {}
      : { [checksumHeaderName(metadata.checksum.algorithm)]: metadata.checksum.value }),
  })
  response.end()
}

/** The object's size as announced: `x-amz-decoded-content-length` for aws-chunked, else Content-Length. */
function declaredObjectSize(headers: ReadonlyMap<string, string>, chunked: boolean): number | undefined {
  if (chunked) return parseLength(headers, 'x-amz-decoded-content-length')
  const contentLength = parseLength(headers, 'content-length')
  if (contentLength !== undefined) return contentLength
  if (headers.has('transfer-encoding')) {
    throw new S3Error(
      'NotImplemented',
      'A header you provided implies functionality that is not implemented',
      {
        details: { Header: 'Transfer-Encoding' },
      },
    )
  }
  throw new S3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.')
}

function parseLength(headers: ReadonlyMap<string, string>, name: string): number | undefined {
  const text = headers.get(name)
  if (text === undefined) return undefined
  if (!/^\d{1,15}$/.test(text.trim())) {
    throw new S3Error('InvalidArgument', `${name} must be a non-negative integer`, {
      details: { ArgumentName: name, ArgumentValue: text },
    })
  }
  return Number(text.trim())
}

function entityTooLarge(size: number, maxObjectBytes: number): S3Error {
  return new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
    details: { ProposedSize: String(size), MaxSizeAllowed: String(maxObjectBytes) },
  })
}

/** `x-amz-meta-*` headers, and for presigned URLs the same names hoisted into the query. */
function collectUserMetadata(context: OperationContext): Record<string, string> {
  const prefix = 'x-amz-meta-'
  const metadata: Record<string, string> = {}
  if (context.auth.kind === 'signed' && context.auth.via === 'query') {
    for (const [name, value] of context.request.query) {
      const lower = name.toLowerCase()
      if (lower.startsWith(prefix)) metadata[lower.slice(prefix.length)] = value
    }
  }
  for (const [name, value] of context.request.headers) {
    if (name.startsWith(prefix)) metadata[name.slice(prefix.length)] = value
  }
  const size = Object.entries(metadata).reduce(
    (total, [name, value]) => total + Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value, 'utf8'),
    0,
  )
  if (size > MAX_USER_METADATA_BYTES) {
    throw new S3Error('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', {
      details: { Size: String(size), MaxSizeAllowed: String(MAX_USER_METADATA_BYTES) },
    })
  }
  return metadata
}

function storedHeaders(headers: ReadonlyMap<string, string>): Record<string, string> {
  const stored: Record<string, string> = {}
  for (const name of STORED_HEADERS) {
    const value = headers.get(name)
    if (value === undefined) continue
    if (name === 'content-encoding') {
      // aws-chunked describes the transfer, not the object: S3 strips it.
      const encodings = value
        .split(',')
        .map((encoding) => encoding.trim())
        .filter((encoding) => encoding !== '' && encoding.toLowerCase() !== 'aws-chunked')
      if (encodings.length > 0) stored[name] = encodings.join(',')
      continue
    }
    stored[name] = value
  }
  return stored
}
