import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { crc32 } from 'node:zlib'
import { type ChunkSigningContext, decodeAwsChunked } from '#local/s3/aws-chunked.ts'
import { deriveSigningKey } from '#local/s3/canonical-request.ts'
import type { LocalS3, ObjectCreatedEvent } from '#local/s3/local-s3.ts'
import { S3Error } from '#local/s3/s3-errors.ts'
import { aBucket, errorCodeOf, PRIVATE_BUCKET, startTestS3 } from './local-s3-fixture.ts'
import { signRequest } from './raw-signing.ts'

/**
 * The example of "Signature Calculations for the Authorization Header: Transferring Payload in
 * Multiple Chunks" in the Amazon S3 API reference: 66560 bytes of 'a' sent as chunks of 65536 and
 * 1024 bytes, with AWS's published seed and chunk signatures.
 */
const AWS_EXAMPLE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  amzDate: '20130524T000000Z',
  seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  chunkSignatures: [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ],
} as const

function awsExampleBody(): Buffer {
  const [first, second, final] = AWS_EXAMPLE.chunkSignatures
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${first}\r\n`),
    Buffer.alloc(65536, 'a'),
    Buffer.from(`\r\n400;chunk-signature=${second}\r\n`),
    Buffer.alloc(1024, 'a'),
    Buffer.from(`\r\n0;chunk-signature=${final}\r\n\r\n`),
  ])
}

const awsExampleSigning: ChunkSigningContext = {
  signingKey: deriveSigningKey(AWS_EXAMPLE.secretAccessKey, {
    date: '20130524',
    region: 'us-east-1',
    service: 's3',
  }),
  amzDate: AWS_EXAMPLE.amzDate,
  scope: '20130524/us-east-1/s3/aws4_request',
  seedSignature: AWS_EXAMPLE.seedSignature,
}

/** The body cut at awkward places: inside chunk headers, inside data, between data and CRLF. */
function* inPieces(body: Buffer, cuts: readonly number[]): Generator<Buffer> {
  let start = 0
  for (const cut of [...cuts, body.length]) {
    yield body.subarray(start, cut)
    start = cut
  }
}

async function decodeAll(
  pieces: Iterable<Buffer>,
  chunkSignatures: ChunkSigningContext | undefined,
): Promise<{ data: Buffer; trailers: Map<string, string> }> {
  const trailers = new Map<string, string>()
  const decoded: Buffer[] = []
  for await (const data of decodeAwsChunked(pieces as unknown as AsyncIterable<Buffer>, {
    chunkSignatures,
    trailers,
  })) {
    decoded.push(data)
  }
  return { data: Buffer.concat(decoded), trailers }
}

async function s3ErrorCodeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  return error instanceof S3Error ? error.code : `not an S3Error: ${String(error)}`
}

function crc32Base64(data: Buffer): string {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32BE(crc32(data))
  return bytes.toString('base64')
}

describe('aws-chunked decoding', () => {
  it("verifies AWS's published chunk signatures, however the body is split", async () => {
    const body = awsExampleBody()

    const { data } = await decodeAll(
      inPieces(body, [10, 40_000, 65_625, 65_626, 65_700, body.length - 3]),
      awsExampleSigning,
    )

    assert.equal(body.length, 66824)
    assert.deepEqual(data, Buffer.alloc(66560, 'a'))
  })

  it('refuses a chunk whose data was altered', async () => {
    const body = awsExampleBody()
    body[1_000] = 'b'.charCodeAt(0)

    const code = await s3ErrorCodeOf(decodeAll([body], awsExampleSigning))

    assert.equal(code, 'SignatureDoesNotMatch')
  })

  it('reads the data and trailers of an unsigned body', async () => {
    const body = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DRWJtQ==\r\n\r\n')

    const { data, trailers } = await decodeAll(inPieces(body, [1, 4, 12, 30]), undefined)

    assert.equal(data.toString(), 'hello world')
    assert.deepEqual([...trailers], [['x-amz-checksum-crc32', 'DRWJtQ==']])
  })

  it('accepts the JavaScript SDK ending a body without trailers right after the last chunk', async () => {
    const { data } = await decodeAll([Buffer.from('3\r\nabc\r\n0\r\n')], undefined)

    assert.equal(data.toString(), 'abc')
  })

  it('refuses a body cut short with IncompleteBody', async () => {
    const code = await s3ErrorCodeOf(decodeAll([Buffer.from('a\r\nonly five')], undefined))

    assert.equal(code, 'IncompleteBody')
  })
})

function rawPut(
  server: LocalS3,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port: server.port, method: 'PUT', path, headers },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        )
      },
    )
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

describe("AWS's chunked upload example, sent to the server", () => {
  let server: LocalS3
  const events: ObjectCreatedEvent[] = []

  before(async () => {
    server = await startTestS3({
      buckets: [aBucket({ name: 'examplebucket' })],
      credentials: { accessKeyId: AWS_EXAMPLE.accessKeyId, secretAccessKey: AWS_EXAMPLE.secretAccessKey },
      region: 'us-east-1',
      clock: () => new Date('2013-05-24T00:00:00Z'),
    })
    server.onObjectCreated((event) => events.push(event))
  })

  after(() => server.close())

  const exampleHeaders = {
    host: 's3.amazonaws.com',
    'x-amz-date': AWS_EXAMPLE.amzDate,
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    authorization:
      `AWS4-HMAC-SHA256 Credential=${AWS_EXAMPLE.accessKeyId}/20130524/us-east-1/s3/aws4_request,` +
      'SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,' +
      `Signature=${AWS_EXAMPLE.seedSignature}`,
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
    'content-length': '66824',
  }

  it('stores the decoded object', async () => {
    events.length = 0

    const response = await rawPut(server, '/examplebucket/chunkObject.txt', exampleHeaders, awsExampleBody())

    assert.equal(response.status, 200, response.body)
    assert.equal(events.length, 1)
    assert.equal(events[0]?.size, 66560)
    assert.equal(events[0]?.eTag, createHash('md5').update(Buffer.alloc(66560, 'a')).digest('hex'))
  })

  it('refuses the upload, and stores nothing, when a chunk was altered', async () => {
    events.length = 0
    const body = awsExampleBody()
    body[66_000] = 'b'.charCodeAt(0)

    const response = await rawPut(server, '/examplebucket/chunkObject.txt', exampleHeaders, body)

    assert.equal(response.status, 403)
    assert.match(response.body, /<Code>SignatureDoesNotMatch<\/Code>/)
    assert.equal(events.length, 0)
  })
})

describe('STREAMING-UNSIGNED-PAYLOAD-TRAILER uploads', () => {
  let server: LocalS3

  before(async () => {
    server = await startTestS3({ maxObjectBytes: 4096 })
  })

  after(() => server.close())

  function chunkedUpload(key: string, data: Buffer, trailerChecksum: string, decodedLength: boolean) {
    const body = Buffer.concat([
      Buffer.from(`${data.length.toString(16)}\r\n`),
      data,
      Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${trailerChecksum}\r\n\r\n`),
    ])
    return signRequest(server, {
      method: 'PUT',
      path: `/${PRIVATE_BUCKET}/${key}`,
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-trailer': 'x-amz-checksum-crc32',
        ...(decodedLength ? { 'x-amz-decoded-content-length': String(data.length) } : {}),
      },
    }).then(({ url, headers }) => fetch(url, { method: 'PUT', headers, body }))
  }

  it('stores the object when the trailer checksum matches', async () => {
    const data = randomBytes(3000)

    const response = await chunkedUpload('ok.bin', data, crc32Base64(data), true)

    assert.equal(response.status, 200)
    assert.equal(response.headers.get('x-amz-checksum-crc32'), crc32Base64(data))
  })

  it('refuses a trailer checksum that does not match with BadDigest', async () => {
    const response = await chunkedUpload('bad.bin', randomBytes(3000), 'AAAAAA==', true)

    assert.equal(response.status, 400)
    assert.equal(await errorCodeOf(response), 'BadDigest')
  })

  it('counts the decoded bytes against maxObjectBytes when no length was announced', async () => {
    const data = randomBytes(5000)

    const response = await chunkedUpload('too-big.bin', data, crc32Base64(data), false)

    assert.equal(response.status, 400)
    assert.equal(await errorCodeOf(response), 'EntityTooLarge')
  })
})
