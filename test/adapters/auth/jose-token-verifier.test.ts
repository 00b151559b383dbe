import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { JoseTokenVerifier } from '#adapters/auth/jose-token-verifier.ts'

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey']

const issuer = 'https://tenant.example.auth0.com/'
const audience = 'https://udagram-api'

let server: Server
let jwksUrl: string
let published: JWK[] = []
let jwksRequests = 0
let current: { kid: string; privateKey: Key }

async function newKey(kid: string): Promise<{ kid: string; privateKey: Key; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } }
}

function token(
  claims: Record<string, unknown> = {},
  options: {
    key?: { kid: string; privateKey: Key }
    exp?: string | number
    nbf?: string | number
    iss?: string
    aud?: string
  } = {},
) {
  const key = options.key ?? current
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setSubject('alice')
    .setIssuer(options.iss ?? issuer)
    .setAudience(options.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '1h')
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf)
  return jwt.sign(key.privateKey)
}

before(async () => {
  const first = await newKey('key-1')
  current = first
  published = [first.jwk]
  server = createServer((_request, response) => {
    jwksRequests++
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ keys: published }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`
})
after(() => new Promise((resolve) => server.close(resolve)))

describe('JoseTokenVerifier (RS256 via JWKS, the Auth0 model)', () => {
  it("accepts a valid token and returns its subject as the caller's id", async () => {
    const verifier = new JoseTokenVerifier({ issuer, audience, jwksUrl })
    assert.deepEqual(await verifier.verify(await token()), { userId: 'alice' })
  })

  it('refuses expired, not-yet-valid, foreign-issuer and foreign-audience tokens', async () => {
    const verifier = new JoseTokenVerifier({ issuer, audience, jwksUrl })
    const now = Math.floor(Date.now() / 1000)
    await assert.rejects(verifier.verify(await token({}, { exp: now - 60 })), /exp/)
    await assert.rejects(verifier.verify(await token({}, { nbf: now + 600 })), /nbf/)
    await assert.rejects(verifier.verify(await token({}, { iss: 'https://evil.example/' })), /iss/)
    await assert.rejects(verifier.verify(await token({}, { aud: 'another-api' })), /aud/)
  })

  it('tolerates a few seconds of clock skew', async () => {
    const verifier = new JoseTokenVerifier({ issuer, audience, jwksUrl })
    const now = Math.floor(Date.now() / 1000)
    assert.deepEqual(await verifier.verify(await token({}, { exp: now - 2 })), { userId: 'alice' })
  })

  it('refuses a token signed by a key the issuer does not publish, and an HS256 token', async () => {
    const verifier = new JoseTokenVerifier({ issuer, audience, jwksUrl })
    const stranger = await newKey('key-1')
    await assert.rejects(verifier.verify(await token({}, { key: stranger })), /signature/)
    const hs256 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setSubject('mallory')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a shared secret the attacker chose'))
    await assert.rejects(verifier.verify(hs256), /alg/)
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`
    await assert.rejects(verifier.verify(unsigned))
  })

  it('caches the JWKS and fetches it again when a token names a new key (rotation)', async () => {
    const verifier = new JoseTokenVerifier({ issuer, audience, jwksUrl, jwksCooldownMs: 0 })
    const before = jwksRequests
    await verifier.verify(await token())
    await verifier.verify(await token())
    assert.equal(jwksRequests - before, 1, 'one fetch for two tokens')

    const rotated = await newKey('key-2')
    published = [...published, rotated.jwk]
    current = rotated
    assert.deepEqual(await verifier.verify(await token()), { userId: 'alice' })
    assert.equal(jwksRequests - before, 2)
  })

  it('does not refetch the JWKS for unknown key ids within the cooldown', async () => {
    const verifier = new JoseTokenVerifier({ issuer, audience, jwksUrl })
    await verifier.verify(await token())
    const before = jwksRequests
    const unknown = await newKey('made-up-kid')
    for (let attempt = 0; attempt < 5; attempt++) {
      await assert.rejects(verifier.verify(await token({}, { key: unknown })))
    }
    assert.equal(jwksRequests, before)
  })
})

describe('JoseTokenVerifier (HS256 with a shared secret)', () => {
  const sharedSecret = new TextEncoder().encode('the-api-signing-secret-kept-in-secrets-manager')
  const hs256 = (secret: Uint8Array, claims: { iss?: string; aud?: string; exp?: number } = {}) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setIssuer(claims.iss ?? issuer)
      .setAudience(claims.aud ?? audience)
      .setExpirationTime(claims.exp ?? '1h')
      .sign(secret)

  it('accepts a token signed with the shared secret', async () => {
    const verifier = new JoseTokenVerifier({ issuer, audience, sharedSecret })
    assert.deepEqual(await verifier.verify(await hs256(sharedSecret)), { userId: 'alice' })
  })

  it('refuses another secret, RS256 tokens, and the same claim failures as RS256', async () => {
    const verifier = new JoseTokenVerifier({ issuer, audience, sharedSecret })
    await assert.rejects(verifier.verify(await hs256(new TextEncoder().encode('guessed'))), /signature/)
    // A validly signed RS256 token from the same issuer: the algorithm is the authorizer's, not the token's.
    await assert.rejects(verifier.verify(await token()), /alg/)
    const now = Math.floor(Date.now() / 1000)
    await assert.rejects(verifier.verify(await hs256(sharedSecret, { exp: now - 60 })), /exp/)
    await assert.rejects(verifier.verify(await hs256(sharedSecret, { iss: 'https://evil.example/' })), /iss/)
    await assert.rejects(verifier.verify(await hs256(sharedSecret, { aud: 'another-api' })), /aud/)
  })
})
