import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { matchesWildcard, type S3CorsRule } from '#local/s3/cors.ts'
import type { LocalS3 } from '#local/s3/local-s3.ts'
import {
  aBucket,
  errorCodeOf,
  PRIVATE_BUCKET,
  PUBLIC_BUCKET,
  s3ClientFor,
  startTestS3,
} from './local-s3-fixture.ts'
import { presignedUrl } from './raw-signing.ts'

const APP_ORIGIN = 'http://localhost:5173'

const uploadRule: S3CorsRule = {
  AllowedMethods: ['PUT', 'GET'],
  AllowedOrigins: [APP_ORIGIN, 'https://*.udagram.example'],
  AllowedHeaders: ['content-type', 'x-amz-*'],
  ExposedHeaders: ['ETag'],
  MaxAge: 3000,
}

function preflight(server: LocalS3, path: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'OPTIONS', headers })
}

describe('CORS', () => {
  let server: LocalS3

  before(async () => {
    server = await startTestS3({
      buckets: [aBucket({ cors: [uploadRule] }), aBucket({ name: PUBLIC_BUCKET, publicRead: true })],
    })
  })

  after(() => server.close())

  it('allows a preflight whose origin, method and headers a rule allows', async () => {
    const response = await preflight(server, `/${PRIVATE_BUCKET}/uploads/a.png`, {
      origin: APP_ORIGIN,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'Content-Type',
    })

    assert.equal(response.status, 200)
    assert.equal(response.headers.get('access-control-allow-origin'), APP_ORIGIN)
    assert.equal(response.headers.get('access-control-allow-methods'), 'PUT, GET')
    assert.equal(response.headers.get('access-control-allow-headers'), 'content-type')
    assert.equal(response.headers.get('access-control-max-age'), '3000')
    assert.equal(response.headers.get('access-control-expose-headers'), 'ETag')
  })

  it('matches origins and headers with a wildcard, case-insensitively', async () => {
    const response = await preflight(server, `/${PRIVATE_BUCKET}/a.png`, {
      origin: 'https://App.Udagram.example',
      'access-control-request-method': 'get',
      'access-control-request-headers': 'X-Amz-Meta-Owner,content-type',
    })

    assert.equal(response.status, 200)
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://App.Udagram.example')
  })

  for (const [refusal, headers] of [
    ['an origin no rule allows', { origin: 'http://evil.example', 'access-control-request-method': 'PUT' }],
    ['a method no rule allows', { origin: APP_ORIGIN, 'access-control-request-method': 'DELETE' }],
    [
      'a header no rule allows',
      {
        origin: APP_ORIGIN,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization',
      },
    ],
  ] as const) {
    it(`refuses a preflight with ${refusal} with 403 CORSResponse`, async () => {
      const response = await preflight(server, `/${PRIVATE_BUCKET}/a.png`, headers)

      assert.equal(response.status, 403)
      assert.equal(response.headers.get('access-control-allow-origin'), null)
      assert.equal(await errorCodeOf(response), 'CORSResponse')
    })
  }

  it('refuses every preflight to a bucket without CORS rules', async () => {
    const response = await preflight(server, `/${PUBLIC_BUCKET}/a.png`, {
      origin: APP_ORIGIN,
      'access-control-request-method': 'GET',
    })

    assert.equal(response.status, 403)
    assert.equal(await errorCodeOf(response), 'CORSResponse')
  })

  it('adds CORS headers to actual responses, errors included, only for an allowed origin', async () => {
    const client = s3ClientFor(server)
    await client.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: 'shown.png', Body: 'png' }))
    client.destroy()
    const url = await presignedUrl(server, { method: 'GET', path: `/${PRIVATE_BUCKET}/shown.png` })

    const allowed = await fetch(url, { headers: { origin: APP_ORIGIN } })
    const missing = await fetch(url.replace('shown.png', 'missing.png'), { headers: { origin: APP_ORIGIN } })
    const foreign = await fetch(url, { headers: { origin: 'http://evil.example' } })

    assert.equal(allowed.status, 200)
    assert.equal(allowed.headers.get('access-control-allow-origin'), APP_ORIGIN)
    assert.equal(allowed.headers.get('access-control-expose-headers'), 'ETag')
    assert.equal(missing.status, 403)
    assert.equal(missing.headers.get('access-control-allow-origin'), APP_ORIGIN)
    assert.equal(foreign.status, 200)
    assert.equal(foreign.headers.get('access-control-allow-origin'), null)
  })
})

describe('matchesWildcard', () => {
  it('matches a single * against any run of characters, ignoring case', () => {
    assert.equal(matchesWildcard('*', 'http://anything'), true)
    assert.equal(matchesWildcard('https://*.example.com', 'https://A.B.example.com'), true)
    assert.equal(matchesWildcard('https://*.example.com', 'https://example.com'), false)
    assert.equal(matchesWildcard('x-amz-*', 'X-AMZ-DATE'), true)
    assert.equal(matchesWildcard('content-type', 'content-length'), false)
  })
})

describe('CORS rule validation', () => {
  it('refuses to start with a rule S3 would not store', async () => {
    const invalid = aBucket({ cors: [{ AllowedMethods: ['PATCH'], AllowedOrigins: ['*'] }] })

    await assert.rejects(startTestS3({ buckets: [invalid] }), /AllowedMethods may only hold/)
  })
})
