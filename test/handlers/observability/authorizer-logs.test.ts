import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { type HandlerOutput, metricsByName, runHandler } from './handler-process.ts'

/**
 * The authorizers run as Lambda runs them, against a JWKS served on loopback: what they log about a
 * caller, what they count, and that the tokens they are given appear nowhere in their output.
 */

const issuer = 'https://tenant.example.auth0.com/'
const audience = 'https://udagram-api'
let jwks: Server
let sign: (subject: string, expiresAt?: number) => Promise<string>

before(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  sign = (subject, expiresAt) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject(subject)
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime(expiresAt ?? '1h')
      .sign(privateKey)
  jwks = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json')
    response.end(JSON.stringify({ keys: [jwk] }))
  })
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve))
})
after(() => new Promise((resolve) => jwks.close(resolve)))

const authEnvironment = (functionName: string) => ({
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: functionName,
  AUTH_ISSUER: issuer,
  AUTH_AUDIENCE: audience,
  AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`,
  // The most the logger would ever write.
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
})

const tokenEvent = (token: string) => ({
  type: 'TOKEN',
  authorizationToken: `Bearer ${token}`,
  methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/groups',
})

function assertNoToken(output: HandlerOutput, tokens: readonly string[]) {
  for (const token of tokens) {
    for (const part of token.split('.')) {
      assert.ok(!output.raw.includes(part), `a part of a token is printed: ${part.slice(0, 12)}…`)
    }
  }
}

describe('the authorizers, in their logs and metrics', () => {
  it('the REST authorizer logs the caller it allowed, counts each refusal, and never prints a token', async () => {
    const valid = await sign('alice')
    const expired = await sign('mallory', Math.floor(Date.now() / 1000) - 600)

    const output = await runHandler(
      '#handlers/authorizer/jwt-authorizer.ts',
      [tokenEvent(valid), tokenEvent(expired), tokenEvent('not-a-token')],
      authEnvironment('udagram-dev-Authorizer'),
    )

    assert.deepEqual(
      output.invocations.map((invocation) => invocation.error ?? 'allowed'),
      ['allowed', 'Unauthorized', 'Unauthorized'],
    )
    const refusals = output.logs.filter((line) => line.message === 'token refused')
    assert.equal(refusals.length, 2, output.raw)
    for (const [at, refusal] of refusals.entries()) {
      assert.equal(refusal.function_name, 'udagram-dev-Authorizer')
      assert.equal(refusal.function_request_id, `00000000-0000-4000-8000-00000000000${at + 2}`)
      assert.equal(refusal.cold_start, false)
      assert.equal(refusal.userId, undefined, 'the allowed caller of the previous invocation is forgotten')
    }
    const denied = metricsByName(output).get('AuthorizerDenied')
    assert.equal(denied?.unit, 'Count')
    assert.deepEqual(denied?.values, [1, 1], 'one count per refused invocation')
    assertNoToken(output, [valid, expired])
  })

  it('the WebSocket authorizer logs under the request id of the $connect it guards', async () => {
    const expired = await sign('mallory', Math.floor(Date.now() / 1000) - 600)

    const output = await runHandler(
      '#handlers/authorizer/websocket-authorizer.ts',
      [
        {
          type: 'REQUEST',
          methodArn: 'arn:aws:execute-api:us-east-1:123456789012:ws123/dev/$connect',
          queryStringParameters: { token: expired },
          requestContext: { requestId: 'ws-connect-request-0001', routeKey: '$connect' },
        },
      ],
      authEnvironment('udagram-dev-WebSocketAuthorizer'),
    )

    const [refusal] = output.logs.filter((line) => line.message === 'token refused')
    assert.equal(refusal?.correlation_id, 'ws-connect-request-0001', output.raw)
    assert.equal(refusal?.cold_start, true)
    assert.deepEqual(metricsByName(output).get('AuthorizerDenied')?.values, [1])
    assertNoToken(output, [expired])
  })
})
