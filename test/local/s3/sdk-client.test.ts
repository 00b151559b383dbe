import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3'
import type { LocalS3 } from '#local/s3/local-s3.ts'
import { PRIVATE_BUCKET, s3ClientFor, sdkErrorOf, startTestS3 } from './local-s3-fixture.ts'

for (const checksums of ['WHEN_SUPPORTED', 'WHEN_REQUIRED'] as const) {
  describe(`local S3 through @aws-sdk/client-s3 (checksums ${checksums})`, () => {
    let server: LocalS3
    let client: S3Client

    before(async () => {
      server = await startTestS3()
      client = s3ClientFor(server, {
        requestChecksumCalculation: checksums,
        responseChecksumValidation: checksums,
      })
    })

    after(async () => {
      client.destroy()
      await server.close()
    })

    it('stores a Buffer body and serves back the same bytes, type and metadata', async () => {
      const bytes = randomBytes(70_000)

      const put = await client.send(
        new PutObjectCommand({
          Bucket: PRIVATE_BUCKET,
          Key: 'images/cat.jpg',
          Body: bytes,
          ContentType: 'image/jpeg',
          Metadata: { 'group-id': 'g-1' },
          CacheControl: 'max-age=60',
        }),
      )
      const got = await client.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'images/cat.jpg' }))

      assert.match(put.ETag ?? '', /^"[0-9a-f]{32}"$/)
      assert.deepEqual(Buffer.from(await (got.Body?.transformToByteArray() ?? [])), bytes)
      assert.equal(got.ContentType, 'image/jpeg')
      assert.equal(got.ContentLength, bytes.length)
      assert.equal(got.ETag, put.ETag)
      assert.equal(got.CacheControl, 'max-age=60')
      assert.deepEqual(got.Metadata, { 'group-id': 'g-1' })
    })

    it('stores a stream body', async () => {
      const parts = [randomBytes(1000), randomBytes(20_000), randomBytes(7)]
      const expected = Buffer.concat(parts)

      await client.send(
        new PutObjectCommand({
          Bucket: PRIVATE_BUCKET,
          Key: 'streamed.bin',
          Body: Readable.from(parts),
          ContentLength: expected.length,
        }),
      )
      const got = await client.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'streamed.bin' }))

      assert.deepEqual(Buffer.from(await (got.Body?.transformToByteArray() ?? [])), expected)
    })

    it('heads an object without its body', async () => {
      const put = await client.send(
        new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'head-me.txt', Body: 'twelve bytes' }),
      )

      const head = await client.send(new HeadObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'head-me.txt' }))

      assert.equal(head.ContentLength, 12)
      assert.equal(head.ETag, put.ETag)
      assert.ok(head.LastModified instanceof Date)
    })

    it('deletes an object, after which GET is NoSuchKey and HEAD a bodiless 404', async () => {
      await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'doomed.txt', Body: 'x' }))

      const deleted = await client.send(
        new DeleteObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'doomed.txt' }),
      )
      const getError = await sdkErrorOf(
        client.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'doomed.txt' })),
      )
      const headError = await sdkErrorOf(
        client.send(new HeadObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'doomed.txt' })),
      )

      assert.equal(deleted.$metadata.httpStatusCode, 204)
      assert.equal(getError.name, 'NoSuchKey')
      assert.equal(headError.$metadata.httpStatusCode, 404)
    })

    it('answers 204 to deleting a key that holds nothing, as S3 does, and keeps the other objects', async () => {
      await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'bystander.txt', Body: 'x' }))

      const deleted = await client.send(
        new DeleteObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'never-stored.txt' }),
      )
      const again = await client.send(
        new DeleteObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'never-stored.txt' }),
      )
      const bystander = await client.send(
        new HeadObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'bystander.txt' }),
      )

      assert.equal(deleted.$metadata.httpStatusCode, 204)
      assert.equal(again.$metadata.httpStatusCode, 204)
      assert.equal(bystander.ContentLength, 1)
    })

    it('lists by prefix, a page of max-keys at a time', async () => {
      const keys = ['list/a.txt', 'list/b.txt', 'list/c.txt', 'other/d.txt']
      for (const key of keys) {
        await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: key, Body: key }))
      }

      const first = await client.send(
        new ListObjectsV2Command({ Bucket: PRIVATE_BUCKET, Prefix: 'list/', MaxKeys: 2 }),
      )
      const second = await client.send(
        new ListObjectsV2Command({
          Bucket: PRIVATE_BUCKET,
          Prefix: 'list/',
          MaxKeys: 2,
          ContinuationToken: first.NextContinuationToken,
        }),
      )

      assert.deepEqual(
        first.Contents?.map((object) => object.Key),
        ['list/a.txt', 'list/b.txt'],
      )
      assert.equal(first.IsTruncated, true)
      assert.equal(first.KeyCount, 2)
      assert.deepEqual(
        second.Contents?.map((object) => object.Key),
        ['list/c.txt'],
      )
      assert.equal(second.IsTruncated, false)
      assert.equal(second.Contents?.[0]?.Size, 'list/c.txt'.length)
    })
  })
}

describe('local S3 keys, listing and checksums', () => {
  let server: LocalS3
  let client: S3Client

  before(async () => {
    server = await startTestS3()
    client = s3ClientFor(server, { requestChecksumCalculation: 'WHEN_SUPPORTED' })
  })

  after(async () => {
    client.destroy()
    await server.close()
  })

  it('round-trips keys that need percent-encoding', async () => {
    const keys = [
      "a b/c!d'e(f)g*h.jpg",
      'plus+equals=amp&pct%.txt',
      'ünïcödé/日本.png',
      'tilde~/trailing/',
      'a//b',
    ]

    for (const key of keys) {
      await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: key, Body: key }))
    }
    const bodies = await Promise.all(
      keys.map(async (key) => {
        const got = await client.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: key }))
        return got.Body?.transformToString()
      }),
    )
    const listed = await client.send(new ListObjectsV2Command({ Bucket: PRIVATE_BUCKET }))

    assert.deepEqual(bodies, keys)
    assert.deepEqual(new Set(listed.Contents?.map((object) => object.Key)), new Set(keys))
  })

  it('groups keys under common prefixes with a delimiter', async () => {
    for (const key of ['tree/x/1', 'tree/x/2', 'tree/y/1', 'tree/z.txt']) {
      await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: key, Body: key }))
    }

    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: PRIVATE_BUCKET, Prefix: 'tree/', Delimiter: '/' }),
    )

    assert.deepEqual(
      listed.CommonPrefixes?.map((prefix) => prefix.Prefix),
      ['tree/x/', 'tree/y/'],
    )
    assert.deepEqual(
      listed.Contents?.map((object) => object.Key),
      ['tree/z.txt'],
    )
  })

  it('refuses a body that does not match its CRC32 with BadDigest', async () => {
    const error = await sdkErrorOf(
      client.send(
        new PutObjectCommand({
          Bucket: PRIVATE_BUCKET,
          Key: 'corrupt.txt',
          Body: 'hello',
          ChecksumCRC32: 'AAAAAA==',
        }),
      ),
    )

    assert.equal(error.name, 'BadDigest')
  })

  it('answers an unknown bucket with NoSuchBucket', async () => {
    const error = await sdkErrorOf(client.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })))

    assert.equal(error.name, 'NoSuchBucket')
    assert.equal(error.$metadata.httpStatusCode, 404)
  })
})
