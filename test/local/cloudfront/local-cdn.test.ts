import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { distributionDefinitions } from '#local/cloudfront/distribution-definitions.ts'
import { distributionUrlVariables } from '#local/cloudfront/distribution-urls.ts'
import { type LocalCdn, startLocalCdn } from '#local/cloudfront/local-cdn.ts'
import type { LocalS3 } from '#local/s3/local-s3.ts'
import { bucketDefinitions } from '#local/serverless/bucket-definitions.ts'
import { bucketReader, privateBucket } from '../../../infra/resources/private-bucket.ts'
import { s3ClientFor, startTestS3 } from '../s3/local-s3-fixture.ts'

// The buckets and distributions exactly as serverless.ts declares them (infra/resources/private-bucket.ts),
// plus a distribution the bucket policy does not name.
const resources = {
  ...privateBucket({
    logicalId: 'ImagesBucket',
    bucketName: 'images',
    distributionLogicalId: 'ImagesDistribution',
    corsMethods: ['PUT'],
  }),
  ...bucketReader,
  StrangerDistribution: {
    Type: 'AWS::CloudFront::Distribution',
    Properties: {
      DistributionConfig: {
        Origins: [{ Id: 'bucket', DomainName: { 'Fn::GetAtt': ['ImagesBucket', 'RegionalDomainName'] } }],
        DefaultCacheBehavior: { AllowedMethods: ['GET', 'HEAD'] },
      },
    },
  },
} as Record<string, { Type: string; Properties?: Record<string, unknown> }>

let s3: LocalS3
let client: S3Client
let cdn: LocalCdn
let images: string

before(async () => {
  const buckets = bucketDefinitions(resources)
  s3 = await startTestS3({ buckets })
  client = s3ClientFor(s3)
  cdn = await startLocalCdn({
    host: '127.0.0.1',
    port: 0,
    distributions: distributionDefinitions(resources, buckets),
    s3,
  })
  images = cdn.urlOf('ImagesDistribution')
  await client.send(
    new PutObjectCommand({
      Bucket: 'images',
      Key: 'photo 1',
      Body: 'jpeg bytes',
      ContentType: 'image/jpeg',
      CacheControl: 'public, max-age=31536000, immutable',
    }),
  )
})
after(async () => {
  client.destroy()
  await cdn.close()
  await s3.close()
})

describe('the private buckets as the local cloud reads them', () => {
  it('lets no one read a bucket directly, and its own distribution through origin access control', () => {
    const [bucket] = bucketDefinitions(resources)
    assert.equal(bucket?.publicRead, false)
    assert.deepEqual(bucket?.distributionReaders, ['ImagesDistribution'])
  })

  it('refuses an anonymous read of the bucket itself', async () => {
    const direct = await fetch(`${s3.url}/images/photo%201`)
    assert.equal(direct.status, 403)
    assert.match(await direct.text(), /<Code>AccessDenied<\/Code>/)
  })
})

describe('the local CDN', () => {
  it('serves an object with its stored headers and CORS for any page', async () => {
    const served = await fetch(`${images}/photo%201`)
    assert.equal(served.status, 200)
    assert.equal(await served.text(), 'jpeg bytes')
    assert.equal(served.headers.get('content-type'), 'image/jpeg')
    assert.equal(served.headers.get('cache-control'), 'public, max-age=31536000, immutable')
    assert.equal(served.headers.get('access-control-allow-origin'), '*')
    assert.match(served.headers.get('etag') ?? '', /^"[0-9a-f]{32}"$/)

    const head = await fetch(`${images}/photo%201`, { method: 'HEAD' })
    assert.equal(head.status, 200)
    assert.equal(head.headers.get('content-length'), String('jpeg bytes'.length))
  })

  it('answers conditional and range requests as S3 does', async () => {
    const etag = (await fetch(`${images}/photo%201`)).headers.get('etag') ?? ''
    const unchanged = await fetch(`${images}/photo%201`, { headers: { 'if-none-match': etag } })
    assert.equal(unchanged.status, 304)
    const part = await fetch(`${images}/photo%201`, { headers: { range: 'bytes=0-3' } })
    assert.equal(part.status, 206)
    assert.equal(await part.text(), 'jpeg')
  })

  it('answers 404 for a missing object and for the root, which lists nothing', async () => {
    for (const path of ['/missing', '/', '']) {
      const answer = await fetch(`${images}${path}`)
      assert.equal(answer.status, 404, path)
      assert.match(await answer.text(), /<Code>NoSuchKey<\/Code>/, path)
    }
  })

  it('refuses writes with 403 and changes nothing', async () => {
    for (const method of ['PUT', 'POST', 'DELETE']) {
      const answer = await fetch(`${images}/photo%201`, { method, body: method === 'DELETE' ? null : 'x' })
      assert.equal(answer.status, 403, method)
    }
    assert.equal(await (await fetch(`${images}/photo%201`)).text(), 'jpeg bytes')
  })

  it('refuses a distribution the bucket policy does not name, and knows no other path', async () => {
    const stranger = await fetch(`${cdn.urlOf('StrangerDistribution')}/photo%201`)
    assert.equal(stranger.status, 403)
    assert.doesNotMatch(await stranger.text(), /jpeg bytes/)
    assert.equal((await fetch(`${new URL(images).origin}/NoSuchDistribution/photo%201`)).status, 404)
    assert.throws(() => cdn.urlOf('NoSuchDistribution'), /no distribution NoSuchDistribution/)
  })

  it("gives the functions the local URL wherever serverless.ts names a distribution's domain", () => {
    const variables = distributionUrlVariables(
      {
        IMAGES_CDN_URL: {
          'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['ImagesDistribution', 'DomainName'] }]],
        },
        OTHER_URL: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['SearchDomain', 'DomainEndpoint'] }]] },
        PLAIN: 'value',
      },
      cdn.urlOf,
      ['ImagesDistribution', 'StrangerDistribution'],
    )
    assert.deepEqual(variables, { IMAGES_CDN_URL: images })
  })
})
