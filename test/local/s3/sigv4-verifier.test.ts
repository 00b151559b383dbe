import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'
import {
  canonicalUri,
  createCanonicalRequest,
  createStringToSign,
  deriveSigningKey,
  EMPTY_SHA256,
  hmacHex,
  uriEncode,
} from '#local/s3/canonical-request.ts'
import { S3Error } from '#local/s3/s3-errors.ts'
import { type Authentication, authenticateRequest, type SignedRequest } from '#local/s3/sigv4-verifier.ts'

/** The example credentials of the Amazon S3 API reference's SigV4 examples. */
const S3_EXAMPLE = {
  credentials: {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
  region: 'us-east-1',
  clock: () => new Date('2013-05-24T00:00:00Z'),
}

function aSignedRequest(overrides: Partial<SignedRequest> = {}): SignedRequest {
  return { method: 'GET', rawPath: '/', query: [], headers: new Map(), ...overrides }
}

function errorCodeOf(verify: () => Authentication): string | undefined {
  try {
    verify()
    return undefined
  } catch (error) {
    if (error instanceof S3Error) return error.code
    throw error
  }
}

describe('SigV4 against published AWS examples', () => {
  it("reproduces the SigV4 test suite's get-vanilla signature", () => {
    const canonicalRequest = createCanonicalRequest({
      method: 'GET',
      canonicalUri: '/',
      canonicalQuery: '',
      signedHeaderNames: ['host', 'x-amz-date'],
      headerValue: (name) => ({ host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' })[name],
      payloadHash: EMPTY_SHA256,
    })
    const scope = { date: '20150830', region: 'us-east-1', service: 'service' }

    const signature = hmacHex(
      deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', scope),
      createStringToSign('20150830T123600Z', '20150830/us-east-1/service/aws4_request', canonicalRequest),
    )

    assert.equal(signature, '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')
  })

  it('accepts the S3 reference example "GET Object" with a Range header', () => {
    const request = aSignedRequest({
      rawPath: '/test.txt',
      headers: new Map([
        ['host', 'examplebucket.s3.amazonaws.com'],
        ['range', 'bytes=0-9'],
        ['x-amz-content-sha256', EMPTY_SHA256],
        ['x-amz-date', '20130524T000000Z'],
        [
          'authorization',
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
            'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
            'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
        ],
      ]),
    })

    const auth = authenticateRequest(request, S3_EXAMPLE)

    assert.deepEqual(auth, {
      kind: 'signed',
      via: 'header',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      payload: { kind: 'sha256', expectedHex: EMPTY_SHA256 },
    })
  })

  const presignedExample = (signature: string): SignedRequest =>
    aSignedRequest({
      rawPath: '/test.txt',
      query: [
        ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
        ['X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request'],
        ['X-Amz-Date', '20130524T000000Z'],
        ['X-Amz-Expires', '86400'],
        ['X-Amz-SignedHeaders', 'host'],
        ['X-Amz-Signature', signature],
      ],
      headers: new Map([['host', 'examplebucket.s3.amazonaws.com']]),
    })

  it('accepts the S3 reference example presigned GET, and nothing else', () => {
    const valid = presignedExample('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404')
    const forged = presignedExample('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d405')

    assert.equal(authenticateRequest(valid, S3_EXAMPLE).kind, 'signed')
    assert.equal(
      errorCodeOf(() => authenticateRequest(forged, S3_EXAMPLE)),
      'SignatureDoesNotMatch',
    )
  })

  it('refuses the example presigned GET one second after its 86400 seconds', () => {
    const valid = presignedExample('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404')
    const lastSecond = { ...S3_EXAMPLE, clock: () => new Date('2013-05-25T00:00:00Z') }
    const expired = { ...S3_EXAMPLE, clock: () => new Date('2013-05-25T00:00:01Z') }

    assert.equal(authenticateRequest(valid, lastSecond).kind, 'signed')
    assert.equal(
      errorCodeOf(() => authenticateRequest(valid, expired)),
      'AccessDenied',
    )
  })
})

describe('SigV4 verification cross-checked with @smithy/signature-v4', () => {
  const credentials = { accessKeyId: 'AKIDCROSSCHECK', secretAccessKey: 'cross-check-secret' }
  const signingDate = new Date('2026-02-03T04:05:06Z')
  const options = { credentials, region: 'eu-central-1', clock: () => signingDate }
  const signer = new SignatureV4({
    credentials,
    region: 'eu-central-1',
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
  })

  const keys = [
    'photo.jpg',
    'a b/c d.png',
    "sub-delims!'()*.txt",
    'ünïcödé/日本語.png',
    'tilde~dash-under_dot.',
    'plus+equals=amp&hash#question?.txt',
    'percent%20literal',
    'double//slash/',
  ]
  const queries: Record<string, string>[] = [
    {},
    { 'list-type': '2', prefix: 'a b/', 'continuation-token': 'x+y/z=', 'max-keys': '5' },
    { 'response-content-disposition': 'attachment; filename="x y.jpg"', 'x-id': 'GetObject' },
  ]

  /** The path as the SDK puts it on the wire: each segment percent-encoded, `/` kept. */
  const wirePath = (key: string) => `/bucket/${key.split('/').map(uriEncode).join('/')}`

  for (const key of keys) {
    for (const query of queries) {
      it(`agrees on header auth for key ${JSON.stringify(key)} and ${Object.keys(query).length} query parameters`, async () => {
        const signed = await signer.sign(
          {
            method: 'GET',
            protocol: 'http:',
            hostname: '127.0.0.1',
            port: 4569,
            path: wirePath(key),
            query,
            headers: {
              host: '127.0.0.1:4569',
              'x-amz-content-sha256': EMPTY_SHA256,
              'x-amz-meta-note': '  spaced   out  value ',
            },
          },
          { signingDate },
        )
        const request = aSignedRequest({
          rawPath: wirePath(key),
          query: Object.entries(query),
          headers: new Map(
            Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
          ),
        })
        const otherKey = { ...request, rawPath: `${request.rawPath}x` }

        assert.equal(authenticateRequest(request, options).kind, 'signed')
        assert.equal(
          errorCodeOf(() => authenticateRequest(otherKey, options)),
          'SignatureDoesNotMatch',
        )
      })
    }

    it(`agrees on a presigned URL for key ${JSON.stringify(key)}`, async () => {
      const presigned = await signer.presign(
        {
          method: 'PUT',
          protocol: 'http:',
          hostname: '127.0.0.1',
          port: 4569,
          path: wirePath(key),
          query: {},
          headers: {
            host: '127.0.0.1:4569',
            'content-type': 'image/png',
            'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          },
        },
        { signingDate, expiresIn: 300, signableHeaders: new Set(['content-type']) },
      )
      const request = aSignedRequest({
        method: 'PUT',
        rawPath: wirePath(key),
        query: Object.entries(presigned.query ?? {}).map(([name, value]) => [name, String(value)] as const),
        headers: new Map([
          ['host', '127.0.0.1:4569'],
          ['content-type', 'image/png'],
        ]),
      })

      assert.equal(authenticateRequest(request, options).kind, 'signed')
    })
  }
})

describe('canonicalUri', () => {
  it('decodes each segment once and encodes it once, as S3 does (no double encoding)', () => {
    assert.equal(canonicalUri('/bucket/a%20b/c'), '/bucket/a%20b/c')
    assert.equal(canonicalUri('/bucket/c!d(e)'), '/bucket/c%21d%28e%29')
    assert.equal(canonicalUri('/bucket/%7Etilde'), '/bucket/~tilde')
    assert.equal(canonicalUri('/bucket/a%2Fb'), '/bucket/a%2Fb')
    assert.equal(canonicalUri('/bucket/%C3%BC'), '/bucket/%C3%BC')
  })
})

describe('authenticateRequest', () => {
  it('treats a request with neither an Authorization header nor a signature in the query as anonymous', () => {
    assert.deepEqual(authenticateRequest(aSignedRequest(), S3_EXAMPLE), { kind: 'anonymous' })
  })

  it('refuses a request carrying both kinds of authentication', () => {
    const both = aSignedRequest({
      query: [['X-Amz-Signature', 'abc']],
      headers: new Map([
        ['authorization', 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=x'],
      ]),
    })

    assert.equal(
      errorCodeOf(() => authenticateRequest(both, S3_EXAMPLE)),
      'InvalidArgument',
    )
  })

  it('refuses Signature Version 2', () => {
    const sigV2 = aSignedRequest({
      headers: new Map([['authorization', 'AWS AKIAIOSFODNN7EXAMPLE:c2lnbmF0dXJl']]),
    })

    assert.equal(
      errorCodeOf(() => authenticateRequest(sigV2, S3_EXAMPLE)),
      'InvalidRequest',
    )
  })
})
