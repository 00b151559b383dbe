import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { type RunningCloud, startTestCloud } from './local-cloud-fixture.ts'

const externalIssuer = 'https://tenant.example.auth0.com/'
const audience = 'https://udagram-api'

let jwksServer: Server
let env: RunningCloud
let externalKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']

before(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  externalKey = privateKey
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(publicKey)), kid: 'tenant-key', alg: 'RS256', use: 'sig' }],
  })
  jwksServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(jwks)
  })
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve))
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`
  env = await startTestCloud({ params: { authIssuer: externalIssuer, authJwksUrl: jwksUrl } })
})
after(async () => {
  await env.stop()
  await new Promise((resolve) => jwksServer.close(resolve))
})

function createGroup(token: string): Promise<Response> {
  return fetch(`${env.rest}/groups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'From Auth0', description: '' }),
  })
}

describe('npm start -- --param authIssuer=... (trusting an external OIDC issuer)', () => {
  it("accepts that issuer's tokens and says so in endpoints.json", async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'tenant-key' })
      .setSubject('auth0|12345')
      .setIssuer(externalIssuer)
      .setAudience(audience)
      .setExpirationTime('1h')
      .sign(externalKey)
    const response = await createGroup(token)
    assert.equal(response.status, 201)
    assert.equal(((await response.json()) as { newItem: { userId: string } }).newItem.userId, 'auth0|12345')
    assert.equal(env.cloud.endpoints.auth.issuer, externalIssuer)
  })

  it("refuses the local identity's tokens", async () => {
    const response = await createGroup(await env.tokenFor('alice'))
    assert.equal(response.status, 401)
  })
})
