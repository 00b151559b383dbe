import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { finished } from 'node:stream/promises'
import { corsHeadersForRequest, evaluatePreflight } from './cors.ts'
import { getObject } from './get-object.ts'
import { listObjectsV2 } from './list-objects-v2.ts'
import type { ObjectMetadata, ObjectStore } from './object-store.ts'
import type { LocalS3BucketDefinition, OperationContext } from './operation-context.ts'
import { putObject } from './put-object.ts'
import { renderErrorXml, S3Error } from './s3-errors.ts'
import { collectHeaders, parseS3Request, queryValue, type S3Request } from './s3-request.ts'
import { type Authentication, authenticateRequest, type SigV4VerifierOptions } from './sigv4-verifier.ts'

/** Object sub-resources (`?acl`, `?uploads`…) name operations this server does not implement. */
const UNSUPPORTED_OBJECT_SUBRESOURCES = [
  'acl',
  'attributes',
  'legal-hold',
  'partNumber',
  'restore',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
]

export interface LocalS3Logger {
  error(message: string, details: Record<string, unknown>): void
}

export interface StoredObjectNotice {
  request: S3Request
  auth: Authentication
  object: ObjectMetadata
}

export interface RequestHandlerDependencies {
  buckets: ReadonlyMap<string, LocalS3BucketDefinition>
  store: ObjectStore
  verifier: SigV4VerifierOptions
  clock: () => Date
  maxObjectBytes: number
  logger: LocalS3Logger
  /** Called once per object committed by PutObject, before the client is answered. */
  onObjectStored: (notice: StoredObjectNotice) => void
}

/** Parses, routes, authenticates and authorizes one request, and answers errors as S3 does. */
export function createRequestHandler(
  dependencies: RequestHandlerDependencies,
): (incoming: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (incoming, response) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase()
    response.setHeader('x-amz-request-id', requestId)
    response.setHeader('x-amz-id-2', randomBytes(24).toString('base64'))
    response.setHeader('Server', 'AmazonS3')
    // From the injected clock, as SDKs correct their clock skew from S3's Date header.
    response.setHeader('Date', dependencies.clock().toUTCString())
    try {
      await route(parseS3Request(incoming, requestId), response, dependencies)
    } catch (error) {
      await answerError(error, incoming, response, requestId, dependencies.logger)
    }
  }
}

/**
 * GET or HEAD of an object on behalf of a CloudFront distribution with origin access control: on AWS
 * the distribution signs its requests to S3 itself, so no signature of the browser's is checked here;
 * whether the bucket policy lets that distribution read is the caller's check. A missing key is 404
 * NoSuchKey, as S3 answers a reader granted s3:ListBucket (the buckets' policies grant it).
 */
export function createOriginReader(
  dependencies: RequestHandlerDependencies,
): (bucketName: string, key: string, incoming: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (bucketName, key, incoming, response) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase()
    response.setHeader('x-amz-request-id', requestId)
    response.setHeader('Server', 'AmazonS3')
    try {
      const bucket = dependencies.buckets.get(bucketName)
      if (bucket === undefined) throw new S3Error('AccessDenied', 'Access Denied')
      const request: S3Request = {
        requestId,
        method: incoming.method ?? 'GET',
        rawPath: `/${bucketName}/${encodeURIComponent(key)}`,
        query: [],
        headers: collectHeaders(incoming.rawHeaders),
        bucketName,
        key,
        sourceIp: incoming.socket.remoteAddress ?? '',
        incoming,
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') throw methodNotAllowed(request.method)
      const auth: Authentication = {
        kind: 'signed',
        via: 'header',
        accessKeyId: 'cloudfront.amazonaws.com',
        payload: { kind: 'unsigned' },
      }
      const context = {
        request,
        response,
        bucket,
        auth,
        store: dependencies.store,
        clock: dependencies.clock,
      }
      await getObject(context, { withBody: request.method === 'GET' })
    } catch (error) {
      await answerError(error, incoming, response, requestId, dependencies.logger)
    }
  }
}

async function route(
  request: S3Request,
  response: ServerResponse,
  dependencies: RequestHandlerDependencies,
): Promise<void> {
  if (request.bucketName === '') {
    throw new S3Error(
      'NotImplemented',
      'Service-level operations (ListBuckets) are not supported by the local S3.',
    )
  }
  const bucket = dependencies.buckets.get(request.bucketName)
  if (bucket === undefined) {
    throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', {
      details: { BucketName: request.bucketName },
    })
  }
  if (request.method === 'OPTIONS') {
    response.writeHead(200, evaluatePreflight(bucket.cors, request.headers))
    response.end()
    return
  }
  for (const [name, value] of Object.entries(
    corsHeadersForRequest(bucket.cors, request.headers.get('origin'), request.method),
  )) {
    response.setHeader(name, value)
  }
  const auth = authenticateRequest(request, dependencies.verifier)
  authorize(auth, bucket, request)
  const context: OperationContext = {
    request,
    response,
    bucket,
    auth,
    store: dependencies.store,
    clock: dependencies.clock,
  }
  if (request.key === '') {
    await routeBucketOperation(context, dependencies.verifier.region)
    return
  }
  const subresource = request.query.find(([name]) => UNSUPPORTED_OBJECT_SUBRESOURCES.includes(name))
  if (subresource !== undefined) {
    throw new S3Error(
      'NotImplemented',
      `The ?${subresource[0]} sub-resource is not supported by the local S3.`,
    )
  }
  switch (request.method) {
    case 'GET':
    case 'HEAD':
      await getObject(context, { withBody: request.method === 'GET' })
      return
    case 'PUT':
      await putObject(context, {
        maxObjectBytes: dependencies.maxObjectBytes,
        onStored: (object) => dependencies.onObjectStored({ request, auth, object }),
      })
      return
    case 'DELETE':
      await dependencies.store.remove(bucket.name, request.key)
      response.writeHead(204)
      response.end()
      return
    default:
      throw methodNotAllowed(request.method)
  }
}

async function routeBucketOperation(context: OperationContext, region: string): Promise<void> {
  const { request, response } = context
  if (request.method === 'GET' && queryValue(request, 'list-type') === '2') {
    await listObjectsV2(context)
    return
  }
  if (request.method === 'HEAD' && request.query.length === 0) {
    response.writeHead(200, { 'x-amz-bucket-region': region })
    response.end()
    return
  }
  throw new S3Error(
    'NotImplemented',
    'This bucket operation is not supported by the local S3 (it implements ListObjectsV2 and HeadBucket).',
  )
}

/** Signed requests carry the only key pair there is; anonymous ones may only read public buckets. */
function authorize(auth: Authentication, bucket: LocalS3BucketDefinition, request: S3Request): void {
  if (auth.kind === 'signed') return
  const readsObject = request.key !== '' && (request.method === 'GET' || request.method === 'HEAD')
  if (bucket.publicRead && readsObject) return
  throw new S3Error('AccessDenied', 'Access Denied')
}

function methodNotAllowed(method: string): S3Error {
  return new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
    details: { Method: method, ResourceType: 'OBJECT' },
  })
}

async function answerError(
  error: unknown,
  incoming: IncomingMessage,
  response: ServerResponse,
  requestId: string,
  logger: LocalS3Logger,
): Promise<void> {
  if (response.destroyed) return
  if (response.headersSent) {
    // The status line is gone: all that is left is to cut the body short so the client notices.
    if (!isPrematureClose(error)) {
      logger.error('Local S3 failed while streaming a response', { requestId, error })
    }
    response.destroy()
    return
  }
  const s3Error = error instanceof S3Error ? error : internalError(error, requestId, logger)
  // Read the rest of the body first: answering mid-upload makes most clients see a reset, not the error.
  if (!incoming.readableEnded && !incoming.destroyed) {
    incoming.resume()
    await finished(incoming).catch(() => undefined)
  }
  if (response.destroyed) return
  const withBody = incoming.method !== 'HEAD'
  const body = withBody ? renderErrorXml(s3Error, requestId) : ''
  response.writeHead(s3Error.status, {
    ...s3Error.headers,
    ...(withBody
      ? { 'Content-Type': 'application/xml', 'Content-Length': String(Buffer.byteLength(body)) }
      : {}),
  })
  response.end(body)
}

function internalError(error: unknown, requestId: string, logger: LocalS3Logger): S3Error {
  logger.error('Local S3 request failed', { requestId, error })
  return new S3Error('InternalError', 'We encountered an internal error. Please try again.', { cause: error })
}

function isPrematureClose(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ERR_STREAM_PREMATURE_CLOSE'
}
