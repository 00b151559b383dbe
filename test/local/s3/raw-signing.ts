import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'
import type { LocalS3 } from '#local/s3/local-s3.ts'
import { CREDENTIALS, REGION } from './local-s3-fixture.ts'

/** A request built by hand, to sign with @smithy/signature-v4 and send with fetch. */
export interface RawRequest {
  method: string
  /** Already percent-encoded, as it goes on the wire: `/bucket/a%20key`. */
  path: string
  query?: Record<string, string>
  headers?: Record<string, string>
  body?: Buffer
}

export interface SigningOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string }
  region?: string
  signingDate?: Date
}

function signerFor(options: SigningOptions): SignatureV4 {
  return new SignatureV4({
    credentials: options.credentials ?? CREDENTIALS,
    region: options.region ?? REGION,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
  })
}

function toSmithyRequest(server: LocalS3, request: RawRequest) {
  return {
    method: request.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: server.port,
    path: request.path,
    query: request.query ?? {},
    headers: { host: `127.0.0.1:${server.port}`, ...request.headers },
    body: request.body,
  }
}

/**
 * Signs with the Authorization header; the payload hash is the body's SHA-256 unless the request
 * sets x-amz-content-sha256. Returns what to hand to fetch (fetch sets Host itself).
 */
export async function signRequest(
  server: LocalS3,
  request: RawRequest,
  options: SigningOptions = {},
): Promise<{ url: string; headers: Record<string, string> }> {
  const signed = await signerFor(options).sign(toSmithyRequest(server, request), {
    signingDate: options.signingDate ?? new Date(),
  })
  const { host: _host, ...headers } = signed.headers as Record<string, string>
  return { url: urlOf(server, signed.path, signed.query as Record<string, string>), headers }
}

export async function signedFetch(
  server: LocalS3,
  request: RawRequest,
  options: SigningOptions = {},
): Promise<Response> {
  const { url, headers } = await signRequest(server, request, options)
  return fetch(url, { method: request.method, headers, body: request.body })
}

/**
 * A presigned URL for S3: like @aws-sdk/s3-request-presigner, it declares UNSIGNED-PAYLOAD (hoisted
 * into the query), as S3 never hashes the body of a presigned request.
 */
export async function presignedUrl(
  server: LocalS3,
  request: RawRequest,
  options: SigningOptions & { expiresIn?: number } = {},
): Promise<string> {
  const unsigned = { ...request, headers: { ...request.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }
  const presigned = await signerFor(options).presign(toSmithyRequest(server, unsigned), {
    signingDate: options.signingDate ?? new Date(),
    expiresIn: options.expiresIn ?? 300,
  })
  return urlOf(server, presigned.path, presigned.query as Record<string, string>)
}

function urlOf(server: LocalS3, path: string, query: Record<string, string>): string {
  const search = Object.entries(query)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&')
  return `${server.url}${path}${search === '' ? '' : `?${search}`}`
}
