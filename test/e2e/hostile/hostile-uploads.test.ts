import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { LOCAL_CREDENTIALS } from '#local/local-cloud.ts'
import { type RunningCloud, startTestCloud } from '../local-cloud-fixture.ts'
import { type RawResponse, rawClient } from './raw-http.ts'

let env: RunningCloud
let aliceToken: string
let groupId: string
let imagesBucket: string
let thumbnailsBucket: string
let s3: S3Client
const client = rawClient(4)
/** MAX_UPLOAD_BYTES as the local cloud is configured (infra/environment.ts). */
const MAX_UPLOAD_BYTES = 10_485_760

interface NewImage {
  imageId: string
  imageUrl: string
  uploadUrl: string
}

before(async () => {
  env = await startTestCloud()
  aliceToken = await env.tokenFor('alice')
  const response = await api('/groups', { name: 'uploads under attack', description: '' })
  groupId = (response.newItem as { id: string }).id
  const probe = await newImage()
  imagesBucket = new URL(probe.uploadUrl).pathname.split('/')[1] ?? ''
  thumbnailsBucket = imagesBucket.replace(/-images$/, '-thumbnails')
  assert.notEqual(thumbnailsBucket, imagesBucket)
  s3 = new S3Client({
    endpoint: env.cloud.endpoints.s3,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  })
})
after(async () => {
  client.close()
  s3.destroy()
  await env.stop()
})

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${env.rest}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${aliceToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

async function api(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await post(path, body)
  assert.equal(response.status, 201)
  return (await response.json()) as Record<string, unknown>
}

/**
 * An image whose upload URL is bound to `contentLength` bytes; by default the size of the `'bytes'`
 * most attacks here send, so that what refuses them is the attack and not the size.
 */
async function newImage(
  contentType = 'image/jpeg',
  contentLength = Buffer.byteLength('bytes'),
): Promise<NewImage> {
  const { newItem, uploadUrl } = (await api(`/groups/${groupId}/images`, {
    title: 'target',
    contentType,
    contentLength,
  })) as {
    newItem: { imageId: string; imageUrl: string }
    uploadUrl: string
  }
  return { imageId: newItem.imageId, imageUrl: newItem.imageUrl, uploadUrl }
}

/**
 * A PUT to `pathAndQuery` exactly as written (no `..` or `%2e` normalisation, unlike fetch), with that
 * Content-Type, or none for null.
 */
function put(
  pathAndQuery: string,
  body: string | Buffer,
  contentType: string | null = 'image/jpeg',
): Promise<RawResponse> {
  return client.send({
    method: 'PUT',
    origin: env.cloud.endpoints.s3,
    path: pathAndQuery,
    headers: contentType === null ? {} : { 'content-type': contentType },
    body,
  })
}

const pathAndQuery = (url: string | URL) => {
  const parsed = new URL(url)
  return `${parsed.pathname}${parsed.search}`
}

/** Refused as S3 refuses: 400, 403 or 404 with an XML error whose code matches `codes`. */
function assertS3Refusal(response: RawResponse, what: string, codes: RegExp): void {
  assert.ok(
    [400, 403, 404].includes(response.status),
    `${what}: answered ${response.status} ${response.body}`,
  )
  const code = /<Code>([^<]+)<\/Code>/.exec(response.body)?.[1] ?? ''
  assert.match(code, codes, `${what}: S3 error code`)
}

async function assertNotStored(image: NewImage): Promise<void> {
  const served = await fetch(image.imageUrl)
  assert.equal(served.status, 404, `nothing is served at ${image.imageUrl}`)
  assert.deepEqual(await keysIn(imagesBucket, image.imageId), [], `no object under ${image.imageId}`)
}

/** Every key of a bucket that contains `fragment`, listed with the local credentials. */
async function keysIn(bucket: string, fragment: string): Promise<string[]> {
  const keys: string[] = []
  let token: string | undefined
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }))
    keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''))
    token = page.NextContinuationToken
  } while (token !== undefined)
  return keys.filter((key) => key.includes(fragment))
}

/** A presigned PUT made the way S3ImageStorage makes them, but with the signing date and credentials given. */
function signPut(options: {
  key: string
  contentType?: string
  contentLength: number
  expiresIn: number
  signingDate?: Date
  credentials?: { accessKeyId: string; secretAccessKey: string }
}): Promise<string> {
  const signer = new S3Client({
    endpoint: env.cloud.endpoints.s3,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: options.credentials ?? LOCAL_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  })
  return getSignedUrl(
    signer,
    new PutObjectCommand({
      Bucket: imagesBucket,
      Key: options.key,
      ContentType: options.contentType,
      ContentLength: options.contentLength,
    }),
    {
      expiresIn: options.expiresIn,
      ...(options.signingDate === undefined ? {} : { signingDate: options.signingDate }),
      signableHeaders: new Set(
        options.contentType === undefined ? ['content-length'] : ['content-length', 'content-type'],
      ),
    },
  ).finally(() => signer.destroy())
}

describe('hostile presigned uploads', () => {
  it('refuses a tampered signature, and a signature lifted from another URL, with 403', async () => {
    const image = await newImage()
    const other = await newImage()
    const flipped = new URL(image.uploadUrl)
    const signature = flipped.searchParams.get('X-Amz-Signature') ?? ''
    flipped.searchParams.set(
      'X-Amz-Signature',
      `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`,
    )
    const truncated = new URL(image.uploadUrl)
    truncated.searchParams.set('X-Amz-Signature', signature.slice(0, 32))
    const lifted = new URL(image.uploadUrl)
    lifted.searchParams.set(
      'X-Amz-Signature',
      new URL(other.uploadUrl).searchParams.get('X-Amz-Signature') ?? '',
    )
    const longer = new URL(image.uploadUrl)
    longer.searchParams.set('X-Amz-Expires', '604800')

    for (const [what, url] of [
      ['one hex digit changed', flipped],
      ['signature cut short', truncated],
      ["another upload's signature", lifted],
      ['X-Amz-Expires raised to a week', longer],
    ] as const) {
      assertS3Refusal(await put(pathAndQuery(url), 'bytes'), what, /^SignatureDoesNotMatch$/)
    }
    await assertNotStored(image)
    await assertNotStored(other)
  })

  it('refuses an expired URL with 403 AccessDenied', async () => {
    const image = await newImage()
    const url = await signPut({
      key: image.imageId,
      contentType: 'image/jpeg',
      contentLength: Buffer.byteLength('late bytes'),
      expiresIn: 60,
      signingDate: new Date(Date.now() - 10 * 60_000),
    })
    const response = await put(pathAndQuery(url), 'late bytes')
    assertS3Refusal(response, 'expired', /^AccessDenied$/)
    assert.match(response.body, /expired/)
    await assertNotStored(image)
  })

  it('refuses the URL used for another object key', async () => {
    const image = await newImage()
    const other = await newImage()
    for (const key of [
      other.imageId,
      `${image.imageId}-other`,
      `${image.imageId}/x`,
      image.imageId.toUpperCase(),
    ]) {
      const moved = new URL(image.uploadUrl)
      moved.pathname = `/${imagesBucket}/${key}`
      assertS3Refusal(await put(pathAndQuery(moved), 'bytes'), `key ${key}`, /^SignatureDoesNotMatch$/)
      assert.deepEqual(await keysIn(imagesBucket, key), [], `nothing under ${key}`)
    }
    await assertNotStored(image)
    await assertNotStored(other)
  })

  it('refuses URLs signed with credentials the local S3 does not hold', async () => {
    const image = await newImage()
    const wrongSecret = await signPut({
      key: image.imageId,
      contentType: 'image/jpeg',
      contentLength: Buffer.byteLength('bytes'),
      expiresIn: 300,
      credentials: { accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-local-secret' },
    })
    assertS3Refusal(await put(pathAndQuery(wrongSecret), 'bytes'), 'wrong secret', /^SignatureDoesNotMatch$/)
    const otherKeyId = await signPut({
      key: image.imageId,
      contentType: 'image/jpeg',
      contentLength: Buffer.byteLength('bytes'),
      expiresIn: 300,
      credentials: {
        accessKeyId: 'AKIAOTHERACCOUNT0000',
        secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey,
      },
    })
    assertS3Refusal(
      await put(pathAndQuery(otherKeyId), 'bytes'),
      'other access key id',
      /^InvalidAccessKeyId$/,
    )
    await assertNotStored(image)
  })

  it('refuses a content type other than the one the URL was signed for', async () => {
    const image = await newImage('image/jpeg')
    for (const contentType of [
      'image/png',
      'IMAGE/JPEG',
      'image/jpeg; charset=utf-8',
      'text/html',
      '',
      null,
    ]) {
      const response = await put(pathAndQuery(image.uploadUrl), 'bytes', contentType)
      assertS3Refusal(response, `content-type ${contentType}`, /^SignatureDoesNotMatch$/)
    }
    await assertNotStored(image)
  })

  it('refuses a body larger or smaller than the size the URL was signed for, and writes nothing', async () => {
    const signedSize = 1024
    const image = await newImage('image/jpeg', signedSize)
    const oversize = Buffer.alloc(MAX_UPLOAD_BYTES + 1024 * 1024, 0xff)
    for (const [what, body] of [
      ['one byte over', Buffer.alloc(signedSize + 1, 1)],
      ['one byte under', Buffer.alloc(signedSize - 1, 1)],
      ['empty', Buffer.alloc(0)],
      ['over the upload limit', oversize],
    ] as const) {
      const response = await put(pathAndQuery(image.uploadUrl), body)
      assertS3Refusal(response, `${what}: ${body.length} bytes`, /^SignatureDoesNotMatch$/)
    }
    await assertNotStored(image)

    const fits = await put(pathAndQuery(image.uploadUrl), Buffer.alloc(signedSize, 1))
    assert.equal(fits.status, 200, fits.body)
  })

  it('hands out no upload URL for a size over the limit, or for no size at all', async () => {
    for (const contentLength of [MAX_UPLOAD_BYTES + 1, 0, undefined]) {
      const response = await post(`/groups/${groupId}/images`, {
        title: 'too big',
        contentType: 'image/jpeg',
        contentLength,
      })
      assert.equal(response.status, 400, `contentLength ${contentLength}`)
      assert.equal('uploadUrl' in ((await response.json()) as object), false)
    }
  })

  it('refuses a replay after expiry, and the PUT URL used to DELETE, leaving the first upload as it was', async () => {
    const image = await newImage()
    const url = await signPut({
      key: image.imageId,
      contentType: 'image/jpeg',
      contentLength: Buffer.byteLength('first upload'),
      expiresIn: 2,
    })
    const first = await put(pathAndQuery(url), 'first upload')
    assert.equal(first.status, 200, first.body)

    const amzDate = new URL(url).searchParams.get('X-Amz-Date') ?? ''
    const signedAt = Date.parse(
      amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
    )
    // The local S3 refuses once its clock is past X-Amz-Date + X-Amz-Expires; it shares this clock.
    await sleep(Math.max(0, signedAt + 2000 + 100 - Date.now()))
    const replay = await put(pathAndQuery(url), 'replayed upload')
    assertS3Refusal(replay, 'replay after expiry', /^AccessDenied$/)

    const live = await signPut({
      key: image.imageId,
      contentType: 'image/jpeg',
      contentLength: Buffer.byteLength('first upload'),
      expiresIn: 300,
    })
    const deleted = await client.send({
      method: 'DELETE',
      origin: env.cloud.endpoints.s3,
      path: pathAndQuery(live),
      headers: { 'content-type': 'image/jpeg' },
    })
    assertS3Refusal(deleted, 'DELETE with a live PUT URL', /^SignatureDoesNotMatch$/)

    const served = await fetch(image.imageUrl)
    assert.equal(served.status, 200)
    assert.equal(await served.text(), 'first upload')
  })

  it('refuses path traversal in the key and writes nothing anywhere', async () => {
    const image = await newImage('image/jpeg', Buffer.byteLength('traversal'))
    const other = await newImage()
    const query = new URL(image.uploadUrl).search
    const id = image.imageId
    const paths = [
      `/${imagesBucket}/../${imagesBucket}/${id}`,
      `/${imagesBucket}/./${id}`,
      `/${imagesBucket}//${id}`,
      `/${imagesBucket}/${other.imageId}/../${id}`,
      `/${imagesBucket}/${id}/../${other.imageId}`,
      `/${imagesBucket}/%2e%2e%2f${imagesBucket}%2f${id}`,
      `/${imagesBucket}/%2E%2E/${id}`,
      `/${imagesBucket}/..%2f${thumbnailsBucket}%2f${id}.webp`,
      `/${imagesBucket}/../${thumbnailsBucket}/${id}.webp`,
      `/${imagesBucket}/%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
      `/${imagesBucket}/..%5c${id}`,
      `/${thumbnailsBucket}/${id}`,
      `/${thumbnailsBucket}/${id}.webp`,
      `/../${imagesBucket}/${id}`,
    ]
    for (const path of paths) {
      assertS3Refusal(
        await put(`${path}${query}`, 'traversal'),
        path,
        /^(AccessDenied|SignatureDoesNotMatch|NoSuchBucket|InvalidURI)$/,
      )
    }
    await assertNotStored(image)
    await assertNotStored(other)
    assert.deepEqual(await keysIn(thumbnailsBucket, id), [], 'nothing in the thumbnails bucket')
    assert.deepEqual(await keysIn(imagesBucket, '..'), [], 'no key with .. in the images bucket')
    assert.deepEqual(await keysIn(imagesBucket, 'passwd'), [])
  })
})
