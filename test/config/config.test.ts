import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadApiConfig } from '#config/api-config.ts'
import { loadAuthConfig } from '#config/auth-config.ts'

const apiEnvironment = {
  AWS_REGION: 'eu-west-1',
  GROUPS_TABLE: 'udagram-dev-groups',
  GROUPS_BY_TIME_INDEX: 'GroupsByTimeIndex',
  IMAGES_TABLE: 'udagram-dev-images',
  IMAGE_ID_INDEX: 'ImageIdIndex',
  IMAGES_BUCKET: 'udagram-dev-images',
  THUMBNAILS_BUCKET: 'udagram-dev-thumbnails',
  IMAGES_CDN_URL: 'https://d1111.cloudfront.net',
  THUMBNAILS_CDN_URL: 'https://d2222.cloudfront.net',
  SIGNED_URL_EXPIRATION_SECONDS: '300',
  MAX_UPLOAD_BYTES: '10485760',
  CORS_ALLOWED_ORIGIN: '*',
}

describe('API configuration', () => {
  it('reads every variable, with AWS defaults when no local endpoints are set', () => {
    assert.deepEqual(loadApiConfig(apiEnvironment), {
      region: 'eu-west-1',
      groupsTable: 'udagram-dev-groups',
      groupsByTimeIndex: 'GroupsByTimeIndex',
      imagesTable: 'udagram-dev-images',
      imageIdIndex: 'ImageIdIndex',
      imagesBucket: 'udagram-dev-images',
      thumbnailsBucket: 'udagram-dev-thumbnails',
      imagesCdnUrl: 'https://d1111.cloudfront.net',
      thumbnailsCdnUrl: 'https://d2222.cloudfront.net',
      signedUrlExpirationSeconds: 300,
      maxUploadBytes: 10_485_760,
      corsAllowedOrigin: '*',
      dynamoDbEndpoint: undefined,
      s3Endpoint: undefined,
      s3ForcePathStyle: false,
    })
  })

  it('takes the endpoint overrides the local cloud sets', () => {
    const config = loadApiConfig({
      ...apiEnvironment,
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:3001',
      S3_FORCE_PATH_STYLE: 'true',
    })
    assert.equal(config.dynamoDbEndpoint, 'http://127.0.0.1:8000')
    assert.equal(config.s3Endpoint, 'http://127.0.0.1:3001')
    assert.equal(config.s3ForcePathStyle, true)
  })

  it('fails at once naming every missing or malformed variable', () => {
    const { GROUPS_TABLE: _dropped, ...withoutGroupsTable } = apiEnvironment
    assert.throws(
      () =>
        loadApiConfig({
          ...withoutGroupsTable,
          SIGNED_URL_EXPIRATION_SECONDS: '5 minutes',
          AWS_ENDPOINT_URL_S3: 'not a url',
          S3_FORCE_PATH_STYLE: 'yes',
          IMAGES_CDN_URL: 'cdn.example',
        }),
      (error: Error) => {
        assert.match(error.message, /^Invalid API configuration/)
        for (const name of [
          'GROUPS_TABLE',
          'SIGNED_URL_EXPIRATION_SECONDS',
          'AWS_ENDPOINT_URL_S3',
          'S3_FORCE_PATH_STYLE',
          'IMAGES_CDN_URL',
        ]) {
          assert.match(error.message, new RegExp(name))
        }
        return true
      },
    )
    assert.throws(
      () => loadApiConfig({ ...apiEnvironment, SIGNED_URL_EXPIRATION_SECONDS: '0' }),
      /SIGNED_URL/,
    )
    assert.throws(
      () => loadApiConfig({ ...apiEnvironment, IMAGES_BUCKET: '   ' }),
      /IMAGES_BUCKET is required/,
    )
  })

  it('needs MAX_UPLOAD_BYTES, the size the upload URLs may be bound to', () => {
    const { MAX_UPLOAD_BYTES: _dropped, ...withoutLimit } = apiEnvironment
    assert.throws(() => loadApiConfig(withoutLimit), /MAX_UPLOAD_BYTES/)
    assert.throws(() => loadApiConfig({ ...apiEnvironment, MAX_UPLOAD_BYTES: '0' }), /MAX_UPLOAD_BYTES/)
    assert.throws(() => loadApiConfig({ ...apiEnvironment, MAX_UPLOAD_BYTES: '10 MiB' }), /MAX_UPLOAD_BYTES/)
  })
})

describe('authorizer configuration', () => {
  it('derives the JWKS URL from the issuer, as Auth0 publishes it, unless it is given', () => {
    assert.deepEqual(loadAuthConfig({ AUTH_ISSUER: 'https://tenant.auth0.com/', AUTH_AUDIENCE: 'api' }), {
      issuer: 'https://tenant.auth0.com/',
      audience: 'api',
      algorithm: 'RS256',
      jwksUrl: 'https://tenant.auth0.com/.well-known/jwks.json',
    })
    assert.partialDeepStrictEqual(
      loadAuthConfig({ AUTH_ISSUER: 'https://idp.example/realms/x', AUTH_AUDIENCE: 'api' }),
      { jwksUrl: 'https://idp.example/realms/x/.well-known/jwks.json' },
    )
    assert.partialDeepStrictEqual(
      loadAuthConfig({
        AUTH_ISSUER: 'https://a.example/',
        AUTH_AUDIENCE: 'api',
        AUTH_JWKS_URL: 'https://keys.example/jwks',
      }),
      { jwksUrl: 'https://keys.example/jwks' },
    )
  })

  it("reads the shared secret's id in HS256 mode, and refuses other algorithms or a missing id", () => {
    const hs256 = {
      AUTH_ISSUER: 'https://tenant.auth0.com/',
      AUTH_AUDIENCE: 'api',
      AUTH_ALGORITHM: 'HS256',
      AWS_REGION: 'eu-west-1',
    }
    assert.deepEqual(loadAuthConfig({ ...hs256, AUTH_SECRET_ID: 'udagram-dev-auth-signing-secret' }), {
      issuer: 'https://tenant.auth0.com/',
      audience: 'api',
      algorithm: 'HS256',
      secretId: 'udagram-dev-auth-signing-secret',
      region: 'eu-west-1',
      secretsManagerEndpoint: undefined,
    })
    assert.throws(() => loadAuthConfig(hs256), /AUTH_SECRET_ID is required/)
    assert.throws(
      () => loadAuthConfig({ ...hs256, AUTH_ALGORITHM: 'none' }),
      /AUTH_ALGORITHM must be one of RS256, HS256/,
    )
  })

  it('refuses a missing audience or an issuer that is not a URL', () => {
    assert.throws(
      () => loadAuthConfig({ AUTH_ISSUER: 'tenant', AUTH_AUDIENCE: '' }),
      /AUTH_ISSUER must be a URL.*AUTH_AUDIENCE is required/,
    )
  })
})
