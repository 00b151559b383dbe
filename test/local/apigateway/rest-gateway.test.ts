import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { GatewayResponses } from '#local/apigateway/gateway-responses.ts'
import { RequestValidator } from '#local/apigateway/request-validator.ts'
import { RestGateway } from '#local/apigateway/rest-gateway.ts'
import { RestRouter, restRoutesFrom } from '#local/apigateway/rest-routes.ts'
import { TokenAuthorizer } from '#local/apigateway/token-authorizer.ts'
import { LocalLambda } from '#local/lambda/local-lambda.ts'
import type { LocalFunctionDefinition } from '#local/serverless/service-definition.ts'
import { aFunction, fixtureHandlers } from '#test/builders/function-definitions.ts'

interface ProxyEvent {
  resource: string
  path: string
  httpMethod: string
  pathParameters: Record<string, string> | null
  queryStringParameters: Record<string, string> | null
  multiValueQueryStringParameters: Record<string, string[]> | null
  headers: Record<string, string>
  multiValueHeaders: Record<string, string[]>
  requestContext: {
    stage: string
    resourcePath: string
    requestId: string
    authorizer: Record<string, unknown> | null
  }
  body: string | null
  isBase64Encoded: boolean
}

const modulePath = fixtureHandlers('test-functions.ts')

function fn(name: string, exportName: string, events: LocalFunctionDefinition['events'], timeoutSeconds = 5) {
  return aFunction(modulePath, name, exportName, { events, timeoutSeconds })
}

const functions = new Map([
  fn('Auth', 'allowAllAuthorizer', []),
  fn('Echo', 'echoEvent', [
    { http: { method: 'get', path: 'things/{thingId}' } },
    { http: { method: 'post', path: 'private', authorizer: { name: 'Auth', resultTtlInSeconds: 300 } } },
  ]),
  fn('Binary', 'multiValueAndBinary', [{ http: { method: 'get', path: 'binary' } }]),
  fn('Fail', 'fail', [{ http: { method: 'get', path: 'fail' } }]),
  fn('Slow', 'sleepFromBody', [{ http: { method: 'post', path: 'slow' } }], 1),
  fn('Count', 'countInvocations', [{ http: { method: 'get', path: 'count' } }]),
  fn('Malformed', 'malformedProxyResult', [{ http: { method: 'get', path: 'malformed' } }]),
  fn('Integration', 'sleepFromBody', [{ http: { method: 'put', path: 'slow' } }], 60),
])

const corsHeaders = {
  'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
  'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
}
const lambda = new LocalLambda({
  functions,
  region: 'us-east-1',
  accountId: '000000000000',
  runtimeEnvironment: {},
})
const gateway = new RestGateway({
  router: new RestRouter(restRoutesFrom(functions)),
  lambda,
  authorizer: new TokenAuthorizer(lambda),
  validator: new RequestValidator(),
  responses: new GatewayResponses({
    Default5XX: {
      Type: 'AWS::ApiGateway::GatewayResponse',
      Properties: { ResponseType: 'DEFAULT_5XX', ResponseParameters: corsHeaders },
    },
  }),
  api: { apiId: 'local', accountId: '000000000000', stage: 'test', region: 'us-east-1' },
  integrationTimeoutMs: 1500,
})

let server: Server
let base: string
before(async () => {
  server = createServer((request, response) => void gateway.handle(request, response))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/test`
})
after(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await lambda.stop()
})

describe('the local REST gateway and Lambda proxy integration', () => {
  it('builds the v1 proxy event API Gateway sends', async () => {
    const response = await fetch(`${base}/things/a%20b?tag=x&tag=y&one=1`, { headers: { 'x-custom': 'v' } })
    assert.equal(response.status, 200)
    const event = (await response.json()) as ProxyEvent
    assert.equal(event.resource, '/things/{thingId}')
    assert.equal(event.path, '/things/a%20b')
    assert.equal(event.httpMethod, 'GET')
    assert.deepEqual(event.pathParameters, { thingId: 'a b' })
    assert.deepEqual(event.queryStringParameters, { tag: 'y', one: '1' })
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ['x', 'y'], one: ['1'] })
    assert.equal(event.headers['x-custom'], 'v')
    assert.deepEqual(event.multiValueHeaders['x-custom'], ['v'])
    assert.equal(event.requestContext.stage, 'test')
    assert.equal(event.requestContext.resourcePath, '/things/{thingId}')
    assert.match(event.requestContext.requestId, /^[0-9a-f-]{36}$/)
    assert.equal(response.headers.get('x-amzn-requestid'), event.requestContext.requestId)
    assert.equal(event.body, null)
    assert.equal(event.isBase64Encoded, false)
  })

  it("passes the authorizer's principal and context, and the body, to the function", async () => {
    const response = await fetch(`${base}/private`, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: '{"hello":"world"}',
    })
    const event = (await response.json()) as ProxyEvent
    assert.deepEqual(event.requestContext.authorizer, {
      principalId: 'user-1',
      userId: 'user-1',
      plan: 'pro',
    })
    assert.equal(event.body, '{"hello":"world"}')
    const refused = await fetch(`${base}/private`, {
      method: 'POST',
      headers: { authorization: 'Bearer bad' },
    })
    assert.equal(refused.status, 401)
  })

  it('answers with multiValueHeaders and decodes base64 bodies', async () => {
    const response = await fetch(`${base}/binary`)
    assert.equal(response.status, 202)
    assert.equal(response.headers.get('x-single'), 'one')
    assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2'])
    assert.deepEqual([...new Uint8Array(await response.arrayBuffer())], [0, 1, 2, 255])
  })

  it('answers 502 with the 5XX gateway headers when the function fails or returns a malformed result', async () => {
    for (const path of ['fail', 'malformed']) {
      const response = await fetch(`${base}/${path}`)
      assert.equal(response.status, 502, path)
      assert.equal(response.headers.get('access-control-allow-origin'), '*')
      assert.deepEqual(await response.json(), { message: 'Internal server error' })
    }
  })

  it('answers 502 when the function times out, and serves the next request', async () => {
    const timedOut = await fetch(`${base}/slow`, { method: 'POST', body: '{"ms":3000}' })
    assert.equal(timedOut.status, 502)
    const next = await fetch(`${base}/slow`, { method: 'POST', body: '{"ms":1}' })
    assert.equal(next.status, 200)
  })

  it('answers 504 when the integration takes longer than the gateway waits', async () => {
    const response = await fetch(`${base}/slow`, { method: 'PUT', body: '{"ms":3000}' })
    assert.equal(response.status, 504)
    assert.deepEqual(await response.json(), { message: 'Endpoint request timed out' })
  })

  it('keeps a failing function from disturbing the others', async () => {
    const [failed, counted] = await Promise.all([fetch(`${base}/fail`), fetch(`${base}/count`)])
    assert.equal(failed.status, 502)
    assert.equal(counted.status, 200)
  })

  it('refuses a body over 10 MB with 413', async () => {
    const response = await fetch(`${base}/private`, {
      method: 'POST',
      headers: { authorization: 'Bearer good' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    })
    assert.equal(response.status, 413)
  })
})
