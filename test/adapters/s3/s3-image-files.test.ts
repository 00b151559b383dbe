import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { S3ThumbnailStore, S3UploadedImages } from '#adapters/s3/s3-image-files.ts'
import { S3ImageStorage } from '#adapters/s3/s3-image-storage.ts'
import type { LocalS3 } from '#local/s3/local-s3.ts'
import { objectRemovalContract } from '#test/contracts/object-removal.contract.ts'
import {
  errorCodeOf,
  PRIVATE_BUCKET,
  PUBLIC_BUCKET,
  s3ClientFor,
  startTestS3,
} from '#test/local/s3/local-s3-fixture.ts'

let server: LocalS3
before(async () => {
  server = await startTestS3()
})
after(() => server.close())

describe('S3 adapters for uploads and thumbnails, against the local S3', () => {
  it('describes and reads an uploaded original, and says undefined for a missing one', async () => {
    const client = s3ClientFor(server)
    const uploads = new S3UploadedImages({ client, bucket: PRIVATE_BUCKET })
    const bytes = Uint8Array.from([0xff, 0xd8, 0xff, 1, 2, 3])
    await client.send(
      new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'img-1', Body: bytes, ContentType: 'image/jpeg' }),
    )

    assert.deepEqual(await uploads.describe('img-1'), { key: 'img-1', size: 6, contentType: 'image/jpeg' })
    assert.deepEqual(await uploads.read('img-1'), bytes)
    assert.equal(await uploads.describe('missing'), undefined)
  })

  it('writes a thumbnail, cacheable for a year, with its type', async () => {
    const client = s3ClientFor(server)
    const thumbnails = new S3ThumbnailStore({ client, bucket: PUBLIC_BUCKET, cdnUrl: 'https://cdn.example' })

    await thumbnails.put('img-1.webp', Uint8Array.from([1, 2, 3]), 'image/webp')

    const stored = await client.send(new GetObjectCommand({ Bucket: PUBLIC_BUCKET, Key: 'img-1.webp' }))
    assert.equal(stored.ContentType, 'image/webp')
    assert.equal(stored.CacheControl, 'public, max-age=31536000, immutable')
    assert.deepEqual(await stored.Body?.transformToByteArray(), Uint8Array.from([1, 2, 3]))
  })

  it("names objects by the distribution's URL, keys escaped", () => {
    const thumbnails = new S3ThumbnailStore({
      client: s3ClientFor(server),
      bucket: 'thumbs',
      cdnUrl: 'https://d111111abcdef8.cloudfront.net/',
    })
    assert.equal(thumbnails.publicUrlFor('a b.webp'), 'https://d111111abcdef8.cloudfront.net/a%20b.webp')
  })
})

/** Seeds and looks for objects with the SDK directly, as the uploads and the resize function write them. */
function bucketProbe(client: S3Client, bucket: string) {
  return {
    seed: async (key: string, bytes: Uint8Array) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }))
    },
    has: async (key: string) =>
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
        () => true,
        (error: { name?: string }) => {
          if (error.name === 'NotFound') return false
          throw error
        },
      ),
  }
}

describe('S3ImageStorage, against the local S3', () => {
  const storageOn = (client: S3Client) =>
    new S3ImageStorage({
      client,
      bucket: PRIVATE_BUCKET,
      uploadUrlExpiresInSeconds: 300,
      cdnUrl: 'https://cdn.example',
    })

  objectRemovalContract(() => {
    const client = s3ClientFor(server)
    const storage = storageOn(client)
    return { remove: (key) => storage.remove(key), ...bucketProbe(client, PRIVATE_BUCKET) }
  })

  it('signs content-length into the upload URL, and content-type when given', async () => {
    const storage = storageOn(s3ClientFor(server))

    const typed = new URL(await storage.uploadUrlFor('k1', { contentType: 'image/png', contentLength: 6 }))
    const untyped = new URL(await storage.uploadUrlFor('k2', { contentType: undefined, contentLength: 6 }))

    assert.deepEqual(typed.searchParams.get('X-Amz-SignedHeaders')?.split(';'), [
      'content-length',
      'content-type',
      'host',
    ])
    assert.deepEqual(untyped.searchParams.get('X-Amz-SignedHeaders')?.split(';'), ['content-length', 'host'])
  })

  it('gets an upload of exactly the signed size stored, and one of any other size refused unstored', async () => {
    const client = s3ClientFor(server)
    const storage = storageOn(client)
    const { has } = bucketProbe(client, PRIVATE_BUCKET)
    const upload = (url: string, size: number) =>
      fetch(url, { method: 'PUT', headers: { 'content-type': 'image/jpeg' }, body: new Uint8Array(size) })

    for (const size of [5, 7, 1024]) {
      const key = `sized-${size}`
      const url = await storage.uploadUrlFor(key, { contentType: 'image/jpeg', contentLength: 6 })
      const refused = await upload(url, size)
      assert.equal(refused.status, 403, `${size} bytes`)
      assert.equal(await errorCodeOf(refused), 'SignatureDoesNotMatch')
      assert.equal(await has(key), false, `${size} bytes are not stored`)
    }
    const url = await storage.uploadUrlFor('sized-6', { contentType: 'image/jpeg', contentLength: 6 })
    assert.equal((await upload(url, 6)).status, 200)
    assert.equal(await has('sized-6'), true)
  })
})

describe('S3ThumbnailStore, against the local S3', () => {
  objectRemovalContract(() => {
    const client = s3ClientFor(server)
    const thumbnails = new S3ThumbnailStore({
      client,
      bucket: PUBLIC_BUCKET,
      cdnUrl: 'https://cdn.example',
    })
    return { remove: (key) => thumbnails.remove(key), ...bucketProbe(client, PUBLIC_BUCKET) }
  })
})
