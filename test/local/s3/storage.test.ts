import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3'
import type { LocalS3, ObjectCreatedEvent } from '#local/s3/local-s3.ts'
import {
  CREDENTIALS,
  errorCodeOf,
  PRIVATE_BUCKET,
  PUBLIC_BUCKET,
  s3ClientFor,
  sdkErrorName,
  startTestS3,
} from './local-s3-fixture.ts'

async function bodyOf(client: S3Client, key: string): Promise<Buffer> {
  const got = await client.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: key }))
  return Buffer.from(await (got.Body?.transformToByteArray() ?? []))
}

describe('disk storage', () => {
  const dirs: string[] = []
  const aStorageDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'local-s3-'))
    dirs.push(dir)
    return dir
  }

  after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))))

  it('keeps objects, metadata and deletions across a close and a restart on the same directory', async () => {
    const dir = await aStorageDir()
    const bytes = randomBytes(30_000)
    const first = await startTestS3({ storage: { kind: 'disk', dir } })
    const firstClient = s3ClientFor(first)
    await firstClient.send(
      new PutObjectCommand({
        Bucket: PRIVATE_BUCKET,
        Key: 'kept/photo.jpg',
        Body: bytes,
        ContentType: 'image/jpeg',
        Metadata: { owner: 'alice' },
      }),
    )
    await firstClient.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'removed.txt', Body: 'bye' }))
    await firstClient.send(new DeleteObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'removed.txt' }))
    firstClient.destroy()
    await first.close()

    const second = await startTestS3({ storage: { kind: 'disk', dir } })
    const secondClient = s3ClientFor(second)
    const got = await secondClient.send(
      new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'kept/photo.jpg' }),
    )
    const body = Buffer.from(await (got.Body?.transformToByteArray() ?? []))
    const listed = await secondClient.send(new ListObjectsV2Command({ Bucket: PRIVATE_BUCKET }))
    secondClient.destroy()
    await second.close()

    assert.deepEqual(body, bytes)
    assert.equal(got.ContentType, 'image/jpeg')
    assert.deepEqual(got.Metadata, { owner: 'alice' })
    assert.deepEqual(
      listed.Contents?.map((object) => object.Key),
      ['kept/photo.jpg'],
    )
  })

  it('overwrites an object and clears what an interrupted upload left behind at start', async () => {
    const dir = await aStorageDir()
    const first = await startTestS3({ storage: { kind: 'disk', dir } })
    const client = s3ClientFor(first)
    await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'over.txt', Body: 'old' }))
    await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'over.txt', Body: 'new' }))
    client.destroy()
    await first.close()
    await writeFile(join(dir, PRIVATE_BUCKET, 'blobs', 'orphan-blob'), 'half an upload')
    await writeFile(join(dir, PRIVATE_BUCKET, 'meta', 'record.json.1234.tmp'), '{"half":')

    const second = await startTestS3({ storage: { kind: 'disk', dir } })
    const secondClient = s3ClientFor(second)
    const body = await bodyOf(secondClient, 'over.txt')
    secondClient.destroy()
    await second.close()
    const blobs = await readdir(join(dir, PRIVATE_BUCKET, 'blobs'))
    const records = await readdir(join(dir, PRIVATE_BUCKET, 'meta'))

    assert.equal(body.toString(), 'new')
    assert.equal(blobs.length, 1, 'the overwritten blob and the orphan are gone')
    assert.ok(records.every((name) => name.endsWith('.json')))
  })
  it('leaves exactly one complete object after concurrent overwrites of one key', async () => {
    const dir = await aStorageDir()
    const server = await startTestS3({ storage: { kind: 'disk', dir } })
    const client = s3ClientFor(server)
    const versions = Array.from({ length: 12 }, (_, index) => Buffer.alloc(5000 + index, 97 + index))

    await Promise.all(
      versions.map((body) =>
        client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'contended', Body: body })),
      ),
    )
    const final = await bodyOf(client, 'contended')
    client.destroy()
    await server.close()
    const blobs = await readdir(join(dir, PRIVATE_BUCKET, 'blobs'))

    assert.ok(versions.some((version) => version.equals(final)))
    assert.equal(blobs.length, 1)
  })
})

describe('memory storage', () => {
  it('serves what was stored and forgets it when the server is replaced', async () => {
    const first = await startTestS3()
    const firstClient = s3ClientFor(first)
    await firstClient.send(
      new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'ephemeral.txt', Body: 'now' }),
    )
    const stored = await bodyOf(firstClient, 'ephemeral.txt')
    firstClient.destroy()
    await first.close()

    const second = await startTestS3()
    const secondClient = s3ClientFor(second)
    const name = await sdkErrorName(
      secondClient.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'ephemeral.txt' })),
    )
    secondClient.destroy()
    await second.close()

    assert.equal(stored.toString(), 'now')
    assert.equal(name, 'NoSuchKey')
  })
})

describe('ObjectCreated events', () => {
  let server: LocalS3
  let client: S3Client
  const events: ObjectCreatedEvent[] = []

  before(async () => {
    server = await startTestS3({ maxObjectBytes: 1024 })
    client = s3ClientFor(server)
    server.onObjectCreated((event) => events.push(event))
  })

  after(async () => {
    client.destroy()
    await server.close()
  })

  it('is emitted once per stored object, in order, and never for a refused upload', async () => {
    events.length = 0
    const impostor = s3ClientFor(server, { credentials: { ...CREDENTIALS, secretAccessKey: 'wrong' } })

    await client.send(
      new PutObjectCommand({
        Bucket: PRIVATE_BUCKET,
        Key: 'first photo.png',
        Body: 'one',
        ContentType: 'image/png',
      }),
    )
    await sdkErrorName(
      impostor.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'forged.png', Body: 'x' })),
    )
    await sdkErrorName(
      client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'huge.png', Body: randomBytes(2048) })),
    )
    await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'second.png', Body: 'two' }))
    impostor.destroy()

    assert.deepEqual(
      events.map((event) => event.key),
      ['first photo.png', 'second.png'],
    )
    const [first, second] = events
    assert.ok(first !== undefined && second !== undefined)
    assert.equal(first.bucket, PRIVATE_BUCKET)
    assert.equal(first.size, 3)
    assert.equal(first.eTag, 'f97c5d29941bfb1b2fdab0874906ab82')
    assert.equal(first.contentType, 'image/png')
    assert.equal(first.principalId, `AWS:${CREDENTIALS.accessKeyId}`)
    assert.equal(first.sourceIp, '127.0.0.1')
    assert.ok(first.sequencer < second.sequencer)
  })

  it('answers the PUT and reports the error when a listener throws', async () => {
    const reported: string[] = []
    const quiet = await startTestS3({
      logger: { error: (message) => reported.push(message) },
    })
    const quietClient = s3ClientFor(quiet)
    quiet.onObjectCreated(() => {
      throw new Error('listener bug')
    })

    const put = await quietClient.send(
      new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'k.txt', Body: 'v' }),
    )
    quietClient.destroy()
    await quiet.close()

    assert.equal(put.$metadata.httpStatusCode, 200)
    assert.deepEqual(reported, ['ObjectCreated listener failed'])
  })

  it('stops reaching a listener once it unsubscribes', async () => {
    const seen: string[] = []
    const unsubscribe = server.onObjectCreated((event) => seen.push(event.key))

    await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'heard.txt', Body: 'a' }))
    unsubscribe()
    await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'unheard.txt', Body: 'b' }))

    assert.deepEqual(seen, ['heard.txt'])
  })
})

describe('object size limit', () => {
  let server: LocalS3
  let client: S3Client

  before(async () => {
    server = await startTestS3({ maxObjectBytes: 1024 })
    client = s3ClientFor(server)
  })

  after(async () => {
    client.destroy()
    await server.close()
  })

  it('refuses an upload over maxObjectBytes with EntityTooLarge and keeps nothing', async () => {
    const refused = await sdkErrorName(
      client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'big.bin', Body: randomBytes(1025) })),
    )
    const lookup = await sdkErrorName(
      client.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'big.bin' })),
    )

    assert.equal(refused, 'EntityTooLarge')
    assert.equal(lookup, 'NoSuchKey')
  })

  it('accepts an upload of exactly maxObjectBytes', async () => {
    const put = await client.send(
      new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'edge.bin', Body: randomBytes(1024) }),
    )

    assert.equal(put.$metadata.httpStatusCode, 200)
  })
})

describe('ranges and conditional GETs', () => {
  let server: LocalS3
  let objectUrl: string
  let eTag: string

  before(async () => {
    server = await startTestS3()
    const client = s3ClientFor(server)
    const put = await client.send(
      new PutObjectCommand({ Bucket: PUBLIC_BUCKET, Key: 'digits.txt', Body: '0123456789' }),
    )
    client.destroy()
    eTag = put.ETag ?? ''
    objectUrl = `${server.url}/${PUBLIC_BUCKET}/digits.txt`
  })

  after(() => server.close())

  for (const [range, expected, contentRange] of [
    ['bytes=2-5', '2345', 'bytes 2-5/10'],
    ['bytes=7-', '789', 'bytes 7-9/10'],
    ['bytes=-3', '789', 'bytes 7-9/10'],
    ['bytes=8-100', '89', 'bytes 8-9/10'],
  ] as const) {
    it(`serves ${range} as 206 Partial Content`, async () => {
      const response = await fetch(objectUrl, { headers: { range } })

      assert.equal(response.status, 206)
      assert.equal(response.headers.get('content-range'), contentRange)
      assert.equal(await response.text(), expected)
    })
  }

  it('serves a range through the SDK', async () => {
    const client = s3ClientFor(server)
    const got = await client.send(
      new GetObjectCommand({ Bucket: PUBLIC_BUCKET, Key: 'digits.txt', Range: 'bytes=0-0' }),
    )
    const text = await got.Body?.transformToString()
    client.destroy()

    assert.equal(text, '0')
    assert.equal(got.ContentRange, 'bytes 0-0/10')
  })

  it('answers a range past the end with 416 InvalidRange', async () => {
    const response = await fetch(objectUrl, { headers: { range: 'bytes=10-' } })

    assert.equal(response.status, 416)
    assert.equal(response.headers.get('content-range'), 'bytes */10')
    assert.equal(await errorCodeOf(response), 'InvalidRange')
  })

  it('answers If-None-Match with the current ETag with 304, and a stale one with the object', async () => {
    const current = await fetch(objectUrl, { headers: { 'if-none-match': eTag } })
    const stale = await fetch(objectUrl, { headers: { 'if-none-match': '"0123"' } })

    assert.equal(current.status, 304)
    assert.equal(current.headers.get('etag'), eTag)
    assert.equal(stale.status, 200)
    assert.equal(await stale.text(), '0123456789')
  })

  it('answers If-Match with another ETag with 412 PreconditionFailed', async () => {
    const response = await fetch(objectUrl, { headers: { 'if-match': '"0123"' } })

    assert.equal(response.status, 412)
    assert.equal(await errorCodeOf(response), 'PreconditionFailed')
  })

  it('answers If-Modified-Since its own Last-Modified with 304', async () => {
    const first = await fetch(objectUrl)
    await first.arrayBuffer()

    const response = await fetch(objectUrl, {
      headers: { 'if-modified-since': first.headers.get('last-modified') ?? '' },
    })

    assert.equal(response.status, 304)
  })
})
