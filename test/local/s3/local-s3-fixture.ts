import assert from 'node:assert/strict'
import { S3Client, type S3ClientConfig, S3ServiceException } from '@aws-sdk/client-s3'
import {
  type LocalS3,
  type LocalS3BucketDefinition,
  type LocalS3Options,
  startLocalS3,
} from '#local/s3/local-s3.ts'

export const CREDENTIALS = { accessKeyId: 'AKIDLOCALS3TEST', secretAccessKey: 'local-s3-test-secret' }
export const REGION = 'eu-west-1'
export const PRIVATE_BUCKET = 'uploads'
export const PUBLIC_BUCKET = 'public-images'

export function aBucket(overrides: Partial<LocalS3BucketDefinition> = {}): LocalS3BucketDefinition {
  return { name: PRIVATE_BUCKET, publicRead: false, cors: [], ...overrides }
}

/** A memory-backed server on a free loopback port, with one private and one public bucket. */
export function startTestS3(overrides: Partial<LocalS3Options> = {}): Promise<LocalS3> {
  return startLocalS3({
    port: 0,
    storage: { kind: 'memory' },
    buckets: [aBucket(), aBucket({ name: PUBLIC_BUCKET, publicRead: true })],
    credentials: CREDENTIALS,
    region: REGION,
    ...overrides,
  })
}

/** An SDK client configured the way the app configures it against the local cloud. */
export function s3ClientFor(server: LocalS3, overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint: server.url,
    forcePathStyle: true,
    region: REGION,
    credentials: CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...overrides,
  })
}

/** The `<Code>` of an S3 XML error body. */
export async function errorCodeOf(response: Response): Promise<string | undefined> {
  const body = await response.text()
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1]
}

/** The S3 error an SDK call fails with; fails the test if it succeeds or fails otherwise. */
export async function sdkErrorOf(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  assert.ok(error instanceof S3ServiceException, `expected an S3 error, got ${String(error)}`)
  return error
}

export async function sdkErrorName(promise: Promise<unknown>): Promise<string> {
  return (await sdkErrorOf(promise)).name
}
