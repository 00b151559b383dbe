import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, beforeEach, describe, it } from 'node:test'
import { GatewayResponses } from '#local/apigateway/gateway-responses.ts'
import { stageThrottlingOf } from '#local/apigateway/method-settings.ts'
import { RequestValidator } from '#local/apigateway/request-validator.ts'
import { RestGateway } from '#local/apigateway/rest-gateway.ts'
import { RestRouter, restRoutesFrom } from '#local/apigateway/rest-routes.ts'
import { RestThrottle } from '#local/apigateway/throttle.ts'
import { TokenAuthorizer } from '#local/apigateway/token-authorizer.ts'
import type { FunctionInvoker, InvocationOutcome } from '#local/lambda/invocation.ts'
import { aFunction } from '#test/builders/function-definitions.ts'

/** Answers as the functions would, and records who was invoked: the authorizer allows "Bearer good". */
class RecordingInvoker implements FunctionInvoker {
  readonly invoked: string[] = []

  async invoke(functionName: string, event: unknown): Promise<InvocationOutcome> {
    this.invoked.push(functionName)
    if (functionName !== 'Auth') return { kind: 'ok', value: { statusCode: 200, body: functionName } }
    const { authorizationToken } = event as { authorizationToken: string }
    if (authorizationToken !== 'Bearer good')
      return { kind: 'error', errorType: 'Error', errorMessage: 'Unauthorized' }
    return {
      kind: 'ok',
      value: {
        principalId: 'user-1',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }],
        },
      },
    }
  }
}

const cors = { origin: '*', headers: ['Content-Type', 'Authorization'], allowCredentials: true }
const functions = new Map([
  aFunction('unused.ts', 'Auth', 'handler'),
  aFunction('unused.ts', 'ListThings', 'handler', {
    events: [{ http: { method: 'get', path: 'things', cors } }],
  }),
  aFunction('unused.ts', 'CreateThing', 'handler', {
    events: [
      { http: { method: 'post', path: 'things', cors, authorizer: { name: 'Auth', resultTtlInSeconds: 0 } } },
    ],
  }),
])
const routes = restRoutesFrom(functions)
const corsResponse = {
  'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
  'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
}
const responses = new GatewayResponses({
  Default4XX: {
    Type: 'AWS::ApiGateway::GatewayResponse',
    Properties: { ResponseType: 'DEFAULT_4XX', ResponseParameters: corsResponse },
  },
})
const settings = stageThrottlingOf({
  custom: {
    restApiStage: {
      MethodSettings: [
        { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 },
        { ResourcePath: '/~1things', HttpMethod: 'POST', ThrottlingRateLimit: 1, ThrottlingBurstLimit: 1 },
      ],
    },
  },
})

let now = 0
let invoker: RecordingInvoker
let gateway: RestGateway
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
})
beforeEach(() => {
  now = 0
  invoker = new RecordingInvoker()
  gateway = new RestGateway({
    router: new RestRouter(routes),
    lambda: invoker,
    authorizer: new TokenAuthorizer(invoker),
    validator: new RequestValidator(),
    responses,
    api: { apiId: 'local', accountId: '000000000000', stage: 'test', region: 'us-east-1' },
    throttle: new RestThrottle({ routes, settings, now: () => now }),
  })
})

const statuses = async (count: number, send: () => Promise<Response>): Promise<number[]> => {
  const answered: number[] = []
  for (let index = 0; index < count; index++) {
    const response = await send()
    await response.arrayBuffer()
    answered.push(response.status)
  }
  return answered
}

const createThing = () =>
  fetch(`${base}/things`, { method: 'POST', headers: { authorization: 'Bearer good' } })

describe('the local REST gateway under throttling', () => {
  it('answers 429 {"message":"Too Many Requests"} with the 4XX gateway response\'s CORS headers', async () => {
    await statuses(2, () => fetch(`${base}/things`))

    const throttled = await fetch(`${base}/things`)

    assert.equal(throttled.status, 429)
    assert.equal(throttled.headers.get('content-type'), 'application/json')
    assert.equal(throttled.headers.get('access-control-allow-origin'), '*')
    assert.equal(throttled.headers.get('access-control-allow-credentials'), 'true')
    assert.match(throttled.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/)
    assert.equal(await throttled.text(), '{"message":"Too Many Requests"}')
  })

  it('invokes neither the authorizer nor the function for a throttled request', async () => {
    assert.deepEqual(await statuses(3, createThing), [200, 429, 429])

    assert.deepEqual(invoker.invoked, ['Auth', 'CreateThing'])
  })

  it("throttles a method on its own setting's bucket and the others on the stage's, each its own", async () => {
    assert.deepEqual(await statuses(2, createThing), [200, 429])
    assert.deepEqual(await statuses(3, () => fetch(`${base}/things`)), [200, 200, 429])
    assert.deepEqual(
      await statuses(3, () => fetch(`${base}/things`, { method: 'OPTIONS' })),
      [200, 200, 429],
      'the preflight is a method of its own',
    )
  })

  it('serves again once the bucket has refilled', async () => {
    assert.deepEqual(await statuses(2, createThing), [200, 429])

    now += 1_000

    assert.deepEqual(await statuses(2, createThing), [200, 429])
  })

  it('throttles no unknown path: it answers 404 as before', async () => {
    assert.deepEqual(await statuses(4, () => fetch(`${base}/nothing`)), [404, 404, 404, 404])
  })
})
