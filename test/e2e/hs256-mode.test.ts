import assert from 'node:assert/strict'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SignJWT } from 'jose'
import WebSocket from 'ws'
import { mintAccessToken } from '#local/identity/access-token-minter.ts'
import { loadOrCreateSigningKey } from '#local/identity/dev-signing-key.ts'
import { type RunningCloud, startTestCloud } from './local-cloud-fixture.ts'

// The seed's second option: the authorizers check HS256 tokens against a secret they read, through
// middy's Secrets Manager middleware, from the local Secrets Manager, which serves the secret that
// serverless.ts declares (and generates) only on stages with `authAlgorithm: HS256`.

let env: RunningCloud
let issuer: string
let audience: string

const hs256 = (secret: string, claims: { sub?: string; exp?: number | string } = {}) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setSubject(claims.sub ?? 'mallory')
    .setIssuer(issuer)
    .setAudience(audience)
    .setExpirationTime(claims.exp ?? '1h')
    .sign(new TextEncoder().encode(secret))

function createGroup(token: string): Promise<Response> {
  return fetch(`${env.rest}/groups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'HS256', description: 'signed with the shared secret' }),
  })
}

/** The status of a WebSocket handshake with `?token=`: 101 when it opens. */
function handshake(token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${env.cloud.endpoints.websocket}?token=${encodeURIComponent(token)}`)
    socket.once('open', () => {
      socket.close()
      resolve(101)
    })
    socket.once('unexpected-response', (_request, response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    socket.once('error', (error) => {
      if (socket.readyState !== WebSocket.CLOSED) reject(error)
    })
  })
}

describe('HS256 mode: a shared secret in Secrets Manager', () => {
  before(async () => {
    env = await startTestCloud({ params: { authAlgorithm: 'HS256' } })
    ;({ issuer, audience } = env.cloud.endpoints.auth)
  })
  after(() => env.stop())

  it('names the secret in endpoints.json, keeps its value in an owner-only file, and never prints it', async () => {
    const { auth, secretsManager } = env.cloud.endpoints
    assert.deepEqual(
      { algorithm: auth.algorithm, secretId: auth.secretId },
      {
        algorithm: 'HS256',
        secretId: 'udagram-dev-token-signing-secret',
      },
    )
    assert.match(secretsManager ?? '', /^http:\/\/127\.0\.0\.1:\d+$/)
    const file = join(env.dataDir, 'secrets', 'secrets.json')
    assert.equal((await stat(file)).mode & 0o777, 0o600)
    const stored = JSON.parse(await readFile(file, 'utf8')) as Record<string, { secretString: string }>
    const secret = stored['udagram-dev-token-signing-secret']?.secretString ?? ''
    // GenerateSecretString in serverless.ts: 64 letters and digits.
    assert.match(secret, /^[A-Za-z0-9]{64}$/)
    const endpointsJson = await readFile(join(env.dataDir, 'endpoints.json'), 'utf8')
    assert.ok(!endpointsJson.includes(secret))
  })

  it('lets in a token signed with the secret, on REST and on the WebSocket $connect', async () => {
    const token = await env.tokenFor('alice')
    const created = await createGroup(token)
    assert.equal(created.status, 201, await created.clone().text())
    assert.equal(((await created.json()) as { newItem: { userId: string } }).newItem.userId, 'alice')
    assert.equal(await handshake(token), 101)
  })

  it('refuses RS256 tokens of the same issuer, another secret, alg none and expired tokens', async () => {
    const stored = JSON.parse(await readFile(join(env.dataDir, 'secrets', 'secrets.json'), 'utf8')) as Record<
      string,
      { secretString: string }
    >
    const secret = stored['udagram-dev-token-signing-secret']?.secretString ?? ''
    const refused = {
      // Validly signed by the identity's RS256 key: the algorithm is the stage's, not the token's.
      'RS256 from the same issuer': await mintAccessToken(
        { key: await loadOrCreateSigningKey(env.dataDir) },
        { issuer, audience, clientId: 'udagram-web', scope: 'openid', userId: 'mallory' },
      ),
      'another secret': await hs256('a-secret-the-attacker-guessed'),
      'alg none': `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
        JSON.stringify({ sub: 'mallory', iss: issuer, aud: audience, exp: 2_000_000_000 }),
      ).toString('base64url')}.`,
      expired: await hs256(secret, { exp: Math.floor(Date.now() / 1000) - 600 }),
    }
    for (const [what, token] of Object.entries(refused)) {
      const response = await createGroup(token)
      assert.equal(response.status, 401, `${what}: ${await response.text()}`)
      assert.equal(await handshake(token), 401, what)
    }
    assert.equal(
      (await createGroup(await hs256(secret, { sub: 'carol' }))).status,
      201,
      'the secret itself works',
    )
  })
})
