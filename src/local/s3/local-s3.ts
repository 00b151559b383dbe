/**
 * A local S3-compatible server for the subset of S3 this app uses, on loopback, offline.
 *
 * Hand-written rather than s3rver (unmaintained, accepts tampered and expired signatures) or
 * LocalStack/MinIO (Docker or an extra server binary): the local cloud is there to catch in
 * development what S3 would refuse in production, so every request's SigV4 signature
 * (Authorization header or presigned query) is recomputed and checked, with S3's error codes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { validateCorsRules } from './cors.ts'
import { DiskObjectStore } from './disk-object-store.ts'
import { MemoryObjectStore } from './memory-object-store.ts'
import type { ObjectStore } from './object-store.ts'
import type { LocalS3BucketDefinition } from './operation-context.ts'
import {
  createOriginReader,
  createRequestHandler,
  type LocalS3Logger,
  type StoredObjectNotice,
} from './request-handler.ts'

export type { S3CorsRule } from './cors.ts'
export type { LocalS3BucketDefinition } from './operation-context.ts'
export type { LocalS3Logger } from './request-handler.ts'

export interface LocalS3Options {
  /** Default 127.0.0.1. */
  host?: string
  /** 0 picks a free port. */
  port: number
  storage: { kind: 'disk'; dir: string } | { kind: 'memory' }
  buckets: LocalS3BucketDefinition[]
  /** The only key pair accepted. */
  credentials: { accessKeyId: string; secretAccessKey: string }
  /** The only region accepted in credential scopes. */
  region: string
  /** Larger uploads get 400 EntityTooLarge. Default 50 MiB. */
  maxObjectBytes?: number
  /** Source of "now" for signature expiry and clock skew. Default: the system clock. */
  clock?: () => Date
  /** Where unexpected failures are reported. Default: JSON lines on stderr. */
  logger?: LocalS3Logger
}

/**
 * What S3 puts in an `ObjectCreated:Put` notification record. `key` is the raw key: S3 event
 * records carry it URL-encoded (spaces as `+`), so encode it when building one.
 */
export interface ObjectCreatedEvent {
  bucket: string
  key: string
  size: number
  /** MD5 hex without quotes, as in S3 event records. */
  eTag: string
  contentType: string
  /** Increases with every PUT, as S3's per-key ordering hint does. */
  sequencer: string
  eventTime: string
  requestId: string
  sourceIp: string
  principalId: string
}

export interface LocalS3 {
  /** `http://<host>:<port>`, the endpoint for a path-style S3 client. */
  url: string
  port: number
  /** Stops accepting connections, lets requests in progress finish, then closes. */
  close(): Promise<void>
  /** Called once per stored object, after it is durably stored; returns an unsubscribe function. */
  onObjectCreated(listener: (event: ObjectCreatedEvent) => void): () => void
  /** Answers a GET or HEAD of an object as S3 answers a CloudFront distribution's origin request. */
  readForDistribution(
    bucket: string,
    key: string,
    incoming: IncomingMessage,
    response: ServerResponse,
  ): Promise<void>
}

const DEFAULT_MAX_OBJECT_BYTES = 50 * 1024 * 1024
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  validateOptions(options)
  const host = options.host ?? '127.0.0.1'
  const clock = options.clock ?? (() => new Date())
  const logger = options.logger ?? stderrLogger
  const bucketNames = options.buckets.map((bucket) => bucket.name)
  const store: ObjectStore =
    options.storage.kind === 'disk'
      ? await DiskObjectStore.open(options.storage.dir, bucketNames)
      : new MemoryObjectStore(bucketNames)
  const listeners = new Set<{ listener: (event: ObjectCreatedEvent) => void }>()
  const nextSequencer = createSequencer(clock)

  const publish = ({ request, auth, object }: StoredObjectNotice): void => {
    const event: ObjectCreatedEvent = {
      bucket: request.bucketName,
      key: object.key,
      size: object.size,
      eTag: object.eTag.replaceAll('"', ''),
      contentType: object.contentType,
      sequencer: nextSequencer(),
      eventTime: clock().toISOString(),
      requestId: request.requestId,
      sourceIp: request.sourceIp,
      principalId: auth.kind === 'signed' ? `AWS:${auth.accessKeyId}` : 'Anonymous',
    }
    for (const { listener } of listeners) {
      try {
        const result: unknown = listener(event)
        if (result instanceof Promise) {
          result.catch((error: unknown) =>
            logger.error('ObjectCreated listener failed', { error, key: event.key }),
          )
        }
      } catch (error) {
        logger.error('ObjectCreated listener failed', { error, key: event.key })
      }
    }
  }

  const dependencies = {
    buckets: new Map(options.buckets.map((bucket) => [bucket.name, bucket])),
    store,
    verifier: { credentials: options.credentials, region: options.region, clock },
    clock,
    maxObjectBytes: options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES,
    logger,
    onObjectStored: publish,
  }
  const handle = createRequestHandler(dependencies)
  const readForDistribution = createOriginReader(dependencies)
  const inFlight = new Set<ServerResponse>()
  let allDone: (() => void) | undefined
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    inFlight.add(response)
    response.on('close', () => {
      inFlight.delete(response)
      if (inFlight.size === 0) allDone?.()
    })
    handle(incoming, response).catch((error: unknown) => logger.error('Local S3 handler crashed', { error }))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo

  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    if (inFlight.size > 0) await new Promise<void>((resolve) => (allDone = resolve))
    server.closeAllConnections()
    await serverClosed
    await store.close()
    listeners.clear()
  }

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => {
      closing ??= close()
      return closing
    },
    readForDistribution,
    onObjectCreated: (listener) => {
      const subscription = { listener }
      listeners.add(subscription)
      return () => {
        listeners.delete(subscription)
      }
    },
  }
}

function validateOptions(options: LocalS3Options): void {
  const names = new Set<string>()
  for (const bucket of options.buckets) {
    if (!BUCKET_NAME.test(bucket.name) || bucket.name.includes('..')) {
      throw new Error(`Local S3: "${bucket.name}" is not a valid S3 bucket name`)
    }
    if (names.has(bucket.name)) throw new Error(`Local S3: bucket "${bucket.name}" is defined twice`)
    names.add(bucket.name)
    validateCorsRules(bucket.name, bucket.cors)
  }
  if (options.credentials.accessKeyId === '' || options.credentials.secretAccessKey === '') {
    throw new Error('Local S3: credentials.accessKeyId and credentials.secretAccessKey must not be empty')
  }
  if (options.region === '') throw new Error('Local S3: region must not be empty')
  const { maxObjectBytes } = options
  if (maxObjectBytes !== undefined && !(Number.isSafeInteger(maxObjectBytes) && maxObjectBytes > 0)) {
    throw new Error('Local S3: maxObjectBytes must be a positive integer')
  }
}

/** Hex strings that compare in PUT order, even across restarts (they start from the clock). */
function createSequencer(clock: () => Date): () => string {
  let last = 0n
  return () => {
    const fromClock = BigInt(clock().getTime()) * 1_000_000n
    last = fromClock > last ? fromClock : last + 1n
    return last.toString(16).toUpperCase().padStart(20, '0')
  }
}

const stderrLogger: LocalS3Logger = {
  error: (message, details) => {
    const printable = Object.fromEntries(
      Object.entries(details).map(([name, value]) => [
        name,
        value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value,
      ]),
    )
    process.stderr.write(
      `${JSON.stringify({ level: 'ERROR', service: 'local-s3', message, ...printable })}\n`,
    )
  },
}
