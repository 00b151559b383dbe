import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'

/** AWS services refuse requests signed more than five minutes from their own clock. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/

export interface SignatureCheckOptions {
  credentials: { accessKeyId: string; secretAccessKey: string }
  region: string
  service: string
  clock: () => Date
}

type SignatureErrorType =
  | 'MissingAuthenticationTokenException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'

export class SignatureError extends Error {
  readonly type: SignatureErrorType

  constructor(type: SignatureErrorType, message: string) {
    super(message)
    this.type = type
  }
}

/**
 * Checks a JSON-protocol request's SigV4 header signature by signing what arrived again with the one
 * key pair there is (the SDK's own signer) and comparing, so a tampered body or header is refused as
 * the service would refuse it.
 */
export async function checkSignature(
  request: IncomingMessage,
  body: Buffer,
  options: SignatureCheckOptions,
): Promise<void> {
  const authorization = request.headers.authorization
  if (authorization === undefined) {
    throw new SignatureError('MissingAuthenticationTokenException', 'Missing Authentication Token')
  }
  const match = AUTHORIZATION.exec(authorization)
  if (match === null) {
    throw new SignatureError(
      'InvalidSignatureException',
      'The Authorization header is not a SigV4 header signature.',
    )
  }
  const [, accessKeyId, , region, service, signedHeaders = '', signature] = match
  if (accessKeyId !== options.credentials.accessKeyId) {
    throw new SignatureError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    )
  }
  if (region !== options.region || service !== options.service) {
    throw new SignatureError(
      'InvalidSignatureException',
      `Credential should be scoped to region ${options.region} and service ${options.service}.`,
    )
  }
  const amzDate = request.headers['x-amz-date']
  const signingDate = typeof amzDate === 'string' ? parseAmzDate(amzDate) : undefined
  if (signingDate === undefined) {
    throw new SignatureError('InvalidSignatureException', 'The request has no valid X-Amz-Date header.')
  }
  if (Math.abs(options.clock().getTime() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new SignatureError(
      'InvalidSignatureException',
      'Signature expired: the request time is too far from now.',
    )
  }
  // The signer trusts this header as the body's hash (the SDK sends it), so it must be the body's hash.
  const contentHash = request.headers['x-amz-content-sha256']
  if (contentHash !== undefined && contentHash !== createHash('sha256').update(body).digest('hex')) {
    throw new SignatureError(
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    )
  }
  const names = signedHeaders.split(';')
  const headers: Record<string, string> = {}
  for (const name of names) {
    const value = request.headers[name]
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value
  }
  const url = new URL(request.url ?? '/', 'http://localhost')
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service,
    sha256: Sha256,
    applyChecksum: false,
  })
  const resigned = await signer.sign(
    {
      method: request.method ?? 'POST',
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: body.toString('utf8'),
    },
    { signingDate, signableHeaders: new Set(names) },
  )
  const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization))?.[1]
  if (expected === undefined || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature ?? ''))) {
    throw new SignatureError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided.',
    )
  }
}

function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text)
  if (match === null) return undefined
  const [, year, month, day, hour, minute, second] = match.map(Number)
  return new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second))
}
