import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { connect } from 'node:net'
import { after, before, beforeEach, describe, it } from 'node:test'
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { LocalS3 } from '#local/s3/local-s3.ts'
import {
  CREDENTIALS,
  errorCodeOf,
  PRIVATE_BUCKET,
  PUBLIC_BUCKET,
  s3ClientFor,
  sdkErrorName,
  startTestS3,
} from './local-s3-fixture.ts'
import { presignedUrl, signedFetch, signRequest } from './raw-signing.ts'

const SIGNING_DATE = new Date('2026-03-01T12:00:00.000Z')

/** A server whose clock the test moves; the SDK clients sign with the same instant. */
function frozenClock(): { now: () => Date; set: (date: Date) => void } {
  let current = SIGNING_DATE
  return { now: () => current, set: (date) => (current = date) }
}

describe('presigned URLs', () => {
  const clock = frozenClock()
  let server: LocalS3
  let client: S3Client

  before(async () => {
    server = await startTestS3({ clock: clock.now })
    client = s3ClientFor(server, { systemClockOffset: SIGNING_DATE.getTime() - Date.now() })
  })

  beforeEach(() => clock.set(SIGNING_DATE))

  after(async () => {
    client.destroy()
    await server.close()
  })

  const presignPut = (key: string, options: { signContentType?: boolean } = {}) =>
    getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: key, ContentType: 'image/png' }),
      {
        expiresIn: 300,
        signingDate: SIGNING_DATE,
        ...(options.signContentType ? { signableHeaders: new Set(['content-type']) } : {}),
      },
    )

  it('accepts a presigned PUT from a plain fetch and serves back the same bytes', async () => {
    const url = await presignPut('uploads/u1.png')
    const bytes = randomBytes(50_000)

    const upload = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'image/png' } })
    const got = await client.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'uploads/u1.png' }))

    assert.equal(upload.status, 200)
    assert.deepEqual(Buffer.from(await (got.Body?.transformToByteArray() ?? [])), bytes)
    assert.equal(got.ContentType, 'image/png')
  })

  it('binds the upload to its content type when content-type is signed', async () => {
    const url = await presignPut('uploads/typed.png', { signContentType: true })

    const wrongType = await fetch(url, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/html' } })
    const sameType = await fetch(url, { method: 'PUT', body: 'x', headers: { 'content-type': 'image/png' } })

    assert.equal(wrongType.status, 403)
    assert.equal(await errorCodeOf(wrongType), 'SignatureDoesNotMatch')
    assert.equal(sameType.status, 200)
  })

  describe('with content-length signed, as the app presigns uploads', () => {
    const SIGNED_SIZE = 1000
    const presignSized = (key: string) =>
      getSignedUrl(
        client,
        new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: key, ContentLength: SIGNED_SIZE }),
        { expiresIn: 300, signingDate: SIGNING_DATE, signableHeaders: new Set(['content-length']) },
      )
    const stored = (key: string) =>
      client.send(new HeadObjectCommand({ Bucket: PRIVATE_BUCKET, Key: key })).then(
        () => true,
        () => false,
      )

    it('stores a body of exactly the signed size', async () => {
      const url = await presignSized('sized/exact')
      assert.match(new URL(url).searchParams.get('X-Amz-SignedHeaders') ?? '', /(^|;)content-length(;|$)/)

      const upload = await fetch(url, { method: 'PUT', body: randomBytes(SIGNED_SIZE) })

      assert.equal(upload.status, 200)
      assert.equal(await stored('sized/exact'), true)
    })

    for (const size of [SIGNED_SIZE + 1, SIGNED_SIZE * 100, SIGNED_SIZE - 1, 0]) {
      it(`refuses a ${size}-byte body with its honest Content-Length, and stores nothing`, async () => {
        const key = `sized/${size}`
        const url = await presignSized(key)

        const upload = await fetch(url, { method: 'PUT', body: randomBytes(size) })

        assert.equal(upload.status, 403)
        assert.equal(await errorCodeOf(upload), 'SignatureDoesNotMatch')
        assert.equal(await stored(key), false)
      })
    }

    it('stores nothing when fewer bytes arrive than the signed Content-Length announced', async () => {
      const url = new URL(await presignSized('sized/short'))
      const socket = connect(Number(url.port), url.hostname)
      await once(socket, 'connect')

      socket.end(
        `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n` +
          `Content-Length: ${SIGNED_SIZE}\r\n\r\n${'x'.repeat(SIGNED_SIZE / 2)}`,
      )
      const [answer] = (await once(socket, 'data')) as [Buffer]
      socket.destroy()

      // Node's HTTP parser answers a body cut short before the local S3 could; either way a 400.
      assert.match(answer.toString('latin1'), /^HTTP\/1\.1 400 /)
      assert.equal(await stored('sized/short'), false)
    })
  })

  it('accepts any content type when the presigner left content-type unsigned, as S3 does', async () => {
    const url = await presignPut('uploads/untyped.png')

    const otherType = await fetch(url, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/html' } })

    assert.equal(otherType.status, 200)
  })

  it('refuses a presigned URL whose signature was altered', async () => {
    const url = new URL(await presignPut('uploads/u2.png'))
    const signature = url.searchParams.get('X-Amz-Signature') ?? ''
    url.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`)

    const response = await fetch(url, { method: 'PUT', body: 'x', headers: { 'content-type': 'image/png' } })

    assert.equal(response.status, 403)
    assert.equal(await errorCodeOf(response), 'SignatureDoesNotMatch')
  })

  it('refuses a presigned URL pointed at another key', async () => {
    const url = (await presignPut('uploads/mine.png')).replace('/uploads/mine.png', '/uploads/theirs.png')

    const response = await fetch(url, { method: 'PUT', body: 'x', headers: { 'content-type': 'image/png' } })

    assert.equal(response.status, 403)
    assert.equal(await errorCodeOf(response), 'SignatureDoesNotMatch')
  })

  it('refuses a presigned URL whose expiry was stretched', async () => {
    const url = (await presignPut('uploads/u3.png')).replace('X-Amz-Expires=300', 'X-Amz-Expires=3000')

    const response = await fetch(url, { method: 'PUT', body: 'x', headers: { 'content-type': 'image/png' } })

    assert.equal(response.status, 403)
    assert.equal(await errorCodeOf(response), 'SignatureDoesNotMatch')
  })

  it('accepts a presigned URL until it expires and refuses it after', async () => {
    const url = await presignPut('uploads/expiring.png')

    clock.set(new Date(SIGNING_DATE.getTime() + 299_000))
    const beforeExpiry = await fetch(url, {
      method: 'PUT',
      body: 'x',
      headers: { 'content-type': 'image/png' },
    })
    clock.set(new Date(SIGNING_DATE.getTime() + 301_000))
    const afterExpiry = await fetch(url, {
      method: 'PUT',
      body: 'x',
      headers: { 'content-type': 'image/png' },
    })
    const body = await afterExpiry.text()

    assert.equal(beforeExpiry.status, 200)
    assert.equal(afterExpiry.status, 403)
    assert.match(body, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/)
  })

  it('refuses X-Amz-Expires beyond one week', async () => {
    const url = (await presignPut('uploads/u4.png')).replace('X-Amz-Expires=300', 'X-Amz-Expires=604801')

    const response = await fetch(url, { method: 'PUT', body: 'x', headers: { 'content-type': 'image/png' } })

    assert.equal(response.status, 400)
    assert.equal(await errorCodeOf(response), 'AuthorizationQueryParametersError')
  })

  it('refuses an x-amz-* header the presigned URL does not cover', async () => {
    const url = await presignPut('uploads/u5.png')

    const response = await fetch(url, {
      method: 'PUT',
      body: 'x',
      headers: { 'content-type': 'image/png', 'x-amz-meta-owner': 'mallory' },
    })

    assert.equal(response.status, 403)
    assert.equal(await errorCodeOf(response), 'AccessDenied')
  })

  it('serves a presigned GET and stores object metadata hoisted into a presigned PUT', async () => {
    const put = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'with-meta.txt', Metadata: { owner: 'alice' } }),
      { expiresIn: 60, signingDate: SIGNING_DATE },
    )
    await fetch(put, { method: 'PUT', body: Buffer.from('hello') })
    const get = await getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'with-meta.txt' }),
      {
        expiresIn: 60,
        signingDate: SIGNING_DATE,
      },
    )

    const response = await fetch(get)

    assert.equal(response.status, 200)
    assert.equal(await response.text(), 'hello')
    assert.equal(response.headers.get('x-amz-meta-owner'), 'alice')
    assert.equal(response.headers.get('content-type'), 'binary/octet-stream')
  })

  it('ignores the empty-body CRC32 a default-configured presigner puts in the query, as S3 does', async () => {
    const defaultClient = s3ClientFor(server, {
      requestChecksumCalculation: 'WHEN_SUPPORTED',
      systemClockOffset: SIGNING_DATE.getTime() - Date.now(),
    })
    const url = await getSignedUrl(
      defaultClient,
      new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'crc.txt' }),
      {
        expiresIn: 60,
        signingDate: SIGNING_DATE,
      },
    )
    defaultClient.destroy()

    const response = await fetch(url, { method: 'PUT', body: 'not empty' })

    assert.match(url, /x-amz-checksum-crc32=AAAAAA%3D%3D/)
    assert.equal(response.status, 200)
  })
})

describe('Authorization header', () => {
  let server: LocalS3
  let client: S3Client

  before(async () => {
    server = await startTestS3()
    client = s3ClientFor(server)
  })

  after(async () => {
    client.destroy()
    await server.close()
  })

  it('refuses a signature made with the wrong secret', async () => {
    const impostor = s3ClientFor(server, {
      credentials: { ...CREDENTIALS, secretAccessKey: 'not-the-secret' },
    })

    const name = await sdkErrorName(
      impostor.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'any' })),
    )
    impostor.destroy()

    assert.equal(name, 'SignatureDoesNotMatch')
  })

  it('refuses an access key id it does not know', async () => {
    const stranger = s3ClientFor(server, { credentials: { ...CREDENTIALS, accessKeyId: 'AKIDUNKNOWN' } })

    const name = await sdkErrorName(
      stranger.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'any' })),
    )
    stranger.destroy()

    assert.equal(name, 'InvalidAccessKeyId')
  })

  it('refuses a credential scope for another region', async () => {
    const elsewhere = s3ClientFor(server, { region: 'us-west-2' })

    const name = await sdkErrorName(
      elsewhere.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'any' })),
    )
    elsewhere.destroy()

    assert.equal(name, 'AuthorizationHeaderMalformed')
  })

  it('refuses a request signed more than 15 minutes away from its clock', async () => {
    const response = await signedFetch(
      server,
      { method: 'GET', path: `/${PRIVATE_BUCKET}/any` },
      { signingDate: new Date(Date.now() - 16 * 60_000) },
    )

    assert.equal(response.status, 403)
    assert.equal(await errorCodeOf(response), 'RequestTimeTooSkewed')
  })

  it('refuses a body that does not match the signed x-amz-content-sha256, and stores nothing', async () => {
    const signedBody = Buffer.from('the body that was signed')
    const { url, headers } = await signRequest(server, {
      method: 'PUT',
      path: `/${PRIVATE_BUCKET}/swapped.txt`,
      headers: { 'x-amz-content-sha256': createHash('sha256').update(signedBody).digest('hex') },
    })

    const response = await fetch(url, { method: 'PUT', headers, body: 'a different body' })
    const name = await sdkErrorName(
      client.send(new GetObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'swapped.txt' })),
    )

    assert.equal(response.status, 400)
    assert.equal(await errorCodeOf(response), 'XAmzContentSHA256Mismatch')
    assert.equal(name, 'NoSuchKey')
  })

  it('refuses a request whose signed header was changed after signing', async () => {
    const body = Buffer.from('<p>hi</p>')
    const { url, headers } = await signRequest(server, {
      method: 'PUT',
      path: `/${PRIVATE_BUCKET}/page.html`,
      headers: { 'content-type': 'text/plain' },
      body,
    })

    const response = await fetch(url, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'text/html' },
      body,
    })

    assert.equal(response.status, 403)
    assert.equal(await errorCodeOf(response), 'SignatureDoesNotMatch')
  })

  it('refuses a request sent to another path than the one signed', async () => {
    const { url, headers } = await signRequest(server, {
      method: 'GET',
      path: `/${PRIVATE_BUCKET}/signed.txt`,
    })

    const response = await fetch(url.replace('signed.txt', 'other.txt'), { headers })

    assert.equal(response.status, 403)
    assert.equal(await errorCodeOf(response), 'SignatureDoesNotMatch')
  })

  it('refuses a malformed Authorization header', async () => {
    const response = await fetch(`${server.url}/${PRIVATE_BUCKET}/any`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=nonsense', 'x-amz-date': '20260301T120000Z' },
    })

    assert.equal(response.status, 400)
    assert.equal(await errorCodeOf(response), 'AuthorizationHeaderMalformed')
  })

  it('serves a byte range to a presigned GET', async () => {
    await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'digits.txt', Body: '0123456789' }))
    const url = await presignedUrl(server, { method: 'GET', path: `/${PRIVATE_BUCKET}/digits.txt` })

    const response = await fetch(url, { headers: { range: 'bytes=2-4' } })

    assert.equal(response.status, 206)
    assert.equal(await response.text(), '234')
  })
})

describe('anonymous requests', () => {
  let server: LocalS3
  let client: S3Client

  before(async () => {
    server = await startTestS3()
    client = s3ClientFor(server)
    for (const bucket of [PUBLIC_BUCKET, PRIVATE_BUCKET]) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'photo.jpg', Body: 'jpeg bytes' }))
    }
  })

  after(async () => {
    client.destroy()
    await server.close()
  })

  it('may read objects of a public-read bucket', async () => {
    const got = await fetch(`${server.url}/${PUBLIC_BUCKET}/photo.jpg`)
    const head = await fetch(`${server.url}/${PUBLIC_BUCKET}/photo.jpg`, { method: 'HEAD' })

    assert.equal(got.status, 200)
    assert.equal(await got.text(), 'jpeg bytes')
    assert.equal(head.status, 200)
  })

  it('may not read objects of a private bucket', async () => {
    const response = await fetch(`${server.url}/${PRIVATE_BUCKET}/photo.jpg`)

    assert.equal(response.status, 403)
    assert.equal(await errorCodeOf(response), 'AccessDenied')
  })

  it('may not write, delete or list, even in a public-read bucket', async () => {
    const put = await fetch(`${server.url}/${PUBLIC_BUCKET}/graffiti.jpg`, { method: 'PUT', body: 'x' })
    const remove = await fetch(`${server.url}/${PUBLIC_BUCKET}/photo.jpg`, { method: 'DELETE' })
    const list = await fetch(`${server.url}/${PUBLIC_BUCKET}?list-type=2`)

    assert.deepEqual([put.status, remove.status, list.status], [403, 403, 403])
    assert.deepEqual(await Promise.all([put, remove, list].map(errorCodeOf)), [
      'AccessDenied',
      'AccessDenied',
      'AccessDenied',
    ])
  })
})
