import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import {
  type LocalWebSocketApi,
  type LocalWebSocketApiOptions,
  startLocalWebSocketApi,
} from '#local/apigateway/websocket/local-websocket-api.ts'
import { LocalLambda } from '#local/lambda/local-lambda.ts'
import type { LocalFunctionDefinition } from '#local/serverless/service-definition.ts'
import {
  type AnyEvent,
  open,
  RecordingInvoker,
  refusal,
  type TestSocket,
  wsFunction,
} from './websocket-test-kit.ts'

const region = 'us-east-1'
const accountId = '000000000000'
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' }
const CONNECTION_ID = /^[A-Za-z0-9]{15}=$/

const authorized = { name: 'Authorizer', identitySource: ['route.request.querystring.token'] }
const twoWay = (route: string) => ({
  websocket: { route, routeResponseSelectionExpression: '$default' as const },
})

/** The API the app has: an authorized $connect, $disconnect, $default and custom routes. */
const appFunctions = new Map([
  wsFunction('Authorizer', 'tokenAuthorizer'),
  wsFunction('Connect', 'connect', [{ websocket: { route: '$connect', authorizer: authorized } }]),
  wsFunction('Disconnect', 'disconnect', [{ websocket: '$disconnect' }]),
  wsFunction('Default', 'echoEvent', [twoWay('$default')]),
  wsFunction('Echo', 'echoEvent', [twoWay('echo')]),
  wsFunction('Quiet', 'echoEvent', [{ websocket: 'quiet' }]),
  wsFunction('Fail', 'fail', [{ websocket: 'fail' }]),
  wsFunction('Sleep', 'sleep', [twoWay('sleep')]),
  wsFunction('Whisper', 'whisper', [{ websocket: 'whisper' }]),
])

/** An API without authorizer or $default, for limits and for messages no route takes. */
const plainFunctions = new Map([
  wsFunction('Connect', 'connect', [{ websocket: '$connect' }]),
  wsFunction('Disconnect', 'disconnect', [{ websocket: '$disconnect' }]),
  wsFunction('Echo', 'echoEvent', [twoWay('echo')]),
])

const invoker = new RecordingInvoker()
const started: LocalWebSocketApi[] = []
let lambda: LocalLambda
let app: LocalWebSocketApi
let management: ApiGatewayManagementApiClient

function startApi(
  functions: Map<string, LocalFunctionDefinition>,
  overrides: Partial<LocalWebSocketApiOptions> = {},
): Promise<LocalWebSocketApi> {
  const starting = startLocalWebSocketApi({
    port: 0,
    stage: 'dev',
    region,
    accountId,
    apiId: 'local-ws',
    functions,
    invoker,
    ...overrides,
  })
  return starting.then((api) => {
    started.push(api)
    return api
  })
}

/** The connection id API Gateway gave this client, from the event an echo route returns. */
async function connectionIdOf(client: TestSocket): Promise<string> {
  client.send(JSON.stringify({ action: 'echo' }))
  const event: AnyEvent = await client.nextJson()
  return event.requestContext.connectionId
}

before(async () => {
  app = await startApi(appFunctions)
  // The functions reach the Management API through the endpoint the API got, as the local cloud wires it.
  lambda = new LocalLambda({
    functions: appFunctions,
    region,
    accountId,
    runtimeEnvironment: {
      WEBSOCKET_MANAGEMENT_ENDPOINT: app.managementEndpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
  })
  invoker.target = lambda
  management = new ApiGatewayManagementApiClient({ endpoint: app.managementEndpoint, region, credentials })
})

after(async () => {
  management.destroy()
  await Promise.all(started.map((api) => api.close()))
  await lambda.stop()
})

describe('the local WebSocket API handshake', () => {
  it('lets a client in wscat-style with ?token=, after the REQUEST authorizer and $connect', async () => {
    const client = await open(`${app.url}?token=good&lang=en`, { headers: { 'User-Agent': 'wscat-test' } })
    const connectionId = await connectionIdOf(client)
    assert.match(connectionId, CONNECTION_ID)

    const authorizerCall = invoker.invocations.find(
      (call) => call.functionName === 'Authorizer' && call.event.requestContext.connectionId === connectionId,
    )
    assert.ok(authorizerCall)
    const authorizerEvent = authorizerCall.event
    assert.equal(authorizerEvent.type, 'REQUEST')
    assert.equal(
      authorizerEvent.methodArn,
      'arn:aws:execute-api:us-east-1:000000000000:local-ws/dev/$connect',
    )
    assert.deepEqual(authorizerEvent.queryStringParameters, { token: 'good', lang: 'en' })
    assert.deepEqual(authorizerEvent.multiValueQueryStringParameters, { token: ['good'], lang: ['en'] })
    assert.equal(authorizerEvent.headers['User-Agent'], 'wscat-test')
    assert.equal(authorizerEvent.stageVariables, null)
    assert.equal(authorizerEvent.requestContext.routeKey, '$connect')

    const connect = (await invoker.completed('Connect', connectionId)).event
    assert.equal(connect.headers['User-Agent'], 'wscat-test')
    assert.deepEqual(connect.multiValueHeaders['User-Agent'], ['wscat-test'])
    assert.deepEqual(connect.queryStringParameters, { token: 'good', lang: 'en' })
    assert.equal(connect.isBase64Encoded, false)
    const context = connect.requestContext
    assert.equal(context.routeKey, '$connect')
    assert.equal(context.eventType, 'CONNECT')
    assert.equal(context.messageDirection, 'IN')
    assert.equal(context.stage, 'dev')
    assert.equal(context.apiId, 'local-ws')
    assert.equal(context.domainName, new URL(app.url).host)
    assert.deepEqual(context.identity, { sourceIp: '127.0.0.1', userAgent: 'wscat-test' })
    assert.equal(context.requestId, context.extendedRequestId)
    assert.match(context.requestTime, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/)
    assert.equal(typeof context.connectedAt, 'number')
    assert.equal(typeof context.requestTimeEpoch, 'number')
    assert.equal(context.messageId, undefined)
    const { integrationLatency, ...authorizer } = context.authorizer
    assert.deepEqual(authorizer, { principalId: 'user-1', userId: 'user-1', plan: 'pro' })
    assert.equal(typeof integrationLatency, 'number')
    client.socket.close()
  })

  it('answers 401 without invoking the authorizer or $connect when the token is missing', async () => {
    const before = { authorizer: invoker.count('Authorizer'), connect: invoker.count('Connect') }
    const refused = await refusal(app.url)
    assert.equal(refused.status, 401)
    assert.deepEqual(JSON.parse(refused.body), { message: 'Unauthorized' })
    assert.equal(invoker.count('Authorizer'), before.authorizer)
    assert.equal(invoker.count('Connect'), before.connect)
  })

  it('answers 401 when the authorizer throws Unauthorized, 403 on a Deny policy, 500 when it fails', async () => {
    const connects = invoker.count('Connect')
    assert.equal((await refusal(`${app.url}?token=stolen`)).status, 401)
    assert.equal((await refusal(`${app.url}?token=deny`)).status, 403)
    assert.equal((await refusal(`${app.url}?token=broken`)).status, 500)
    assert.equal(invoker.count('Connect'), connects, '$connect must not run for a refused caller')
  })

  it('refuses the upgrade with the status $connect answers', async () => {
    const connects = invoker.count('Connect')
    const refused = await refusal(`${app.url}?token=good&reject=401`)
    assert.equal(refused.status, 401)
    assert.equal(invoker.count('Connect'), connects + 1)
  })

  it('answers 404 to an upgrade on another path than the stage', async () => {
    const calls = invoker.invocations.length
    assert.equal((await refusal(app.url.replace(/\/dev$/, '/prod?token=good'))).status, 404)
    assert.equal(invoker.invocations.length, calls)
  })

  it('agrees to a subprotocol only when $connect answers with it', async () => {
    const client = await open(`${app.url}?token=good&protocol=chat`, { protocols: ['chat', 'other'] })
    assert.equal(client.socket.protocol, 'chat')
    client.socket.close()
  })
})

describe('messages and routes', () => {
  let client: TestSocket
  let connectionId: string
  before(async () => {
    client = await open(`${app.url}?token=good`)
    connectionId = await connectionIdOf(client)
  })
  after(() => client.socket.close())

  it('routes on $request.body.action and sends the route response back', async () => {
    const message = JSON.stringify({ action: 'echo', text: 'héllo' })
    client.send(message)
    const event = await client.nextJson()
    assert.equal(event.body, message)
    assert.equal(event.isBase64Encoded, false)
    const context = event.requestContext
    assert.equal(context.routeKey, 'echo')
    assert.equal(context.eventType, 'MESSAGE')
    assert.equal(context.connectionId, connectionId)
    assert.match(context.messageId, CONNECTION_ID)
    assert.deepEqual(context.authorizer, { principalId: 'user-1', userId: 'user-1', plan: 'pro' })
    assert.equal(event.headers, undefined)
  })

  it('sends unknown actions, text that is not JSON and binary frames to $default', async () => {
    client.send(JSON.stringify({ action: 'nope' }))
    assert.equal((await client.nextJson()).requestContext.routeKey, '$default')
    client.send('not json')
    const text = await client.nextJson()
    assert.equal(text.requestContext.routeKey, '$default')
    assert.equal(text.body, 'not json')
    client.send(Buffer.from([0, 1, 2, 255]))
    const binary = await client.nextJson()
    assert.equal(binary.requestContext.routeKey, '$default')
    assert.equal(binary.isBase64Encoded, true)
    assert.deepEqual([...Buffer.from(binary.body, 'base64')], [0, 1, 2, 255])
  })

  it('sends nothing back from a route without a route response', async () => {
    client.send(JSON.stringify({ action: 'quiet' }))
    await invoker.completed('Quiet', connectionId)
    client.send(JSON.stringify({ action: 'echo', after: 'quiet' }))
    assert.equal(JSON.parse((await client.nextJson()).body).after, 'quiet')
  })

  it('answers a failing route with API Gateway’s Internal server error message', async () => {
    client.send(JSON.stringify({ action: 'fail' }))
    const answer = await client.nextJson()
    assert.equal(answer.message, 'Internal server error')
    assert.equal(answer.connectionId, connectionId)
    assert.equal(typeof answer.requestId, 'string')
  })

  it('runs the messages of one connection concurrently: a slow one does not hold up the next', async () => {
    client.send(JSON.stringify({ action: 'sleep', ms: 1000 }))
    client.send(JSON.stringify({ action: 'echo', order: 2 }))
    assert.equal(JSON.parse((await client.nextJson()).body).order, 2)
    assert.equal(await client.nextText(), 'slept 1000')
  })

  it('answers Forbidden when neither a route nor $default takes the message', async () => {
    const plain = await startApi(plainFunctions)
    const other = await open(plain.url)
    const otherId = await connectionIdOf(other)
    other.send(JSON.stringify({ action: 'nope' }))
    const answer = await other.nextJson()
    assert.equal(answer.message, 'Forbidden')
    assert.equal(answer.connectionId, otherId)
    assert.equal(typeof answer.requestId, 'string')
    other.socket.close()
  })
})

describe('the Management API', () => {
  it('delivers what a function posts to its caller', async () => {
    const client = await open(`${app.url}?token=good`)
    client.send(JSON.stringify({ action: 'whisper', text: 'psst' }))
    assert.equal(await client.nextText(), 'whispered: psst')
    client.socket.close()
  })

  it('posts, and describes a connection, through the AWS SDK', async () => {
    const client = await open(`${app.url}?token=good`, { headers: { 'User-Agent': 'sdk-test' } })
    const connectionId = await connectionIdOf(client)
    await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'from the SDK' }))
    assert.equal(await client.nextText(), 'from the SDK')

    const info = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }))
    assert.ok(info.ConnectedAt instanceof Date)
    assert.ok(info.LastActiveAt instanceof Date)
    assert.ok(info.LastActiveAt.getTime() >= info.ConnectedAt.getTime())
    assert.deepEqual(info.Identity, { SourceIp: '127.0.0.1', UserAgent: 'sdk-test' })
    client.socket.close()
  })

  it('deletes a connection: the client is closed, $disconnect runs, then the connection is Gone', async () => {
    const client = await open(`${app.url}?token=good`)
    const connectionId = await connectionIdOf(client)
    await management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }))
    assert.equal((await client.closed).code, 1000)
    const disconnect = (await invoker.completed('Disconnect', connectionId)).event
    assert.equal(disconnect.requestContext.eventType, 'DISCONNECT')
    assert.equal(disconnect.requestContext.disconnectStatusCode, 1000)

    for (const command of [
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'late' }),
      new GetConnectionCommand({ ConnectionId: connectionId }),
      new DeleteConnectionCommand({ ConnectionId: connectionId }),
    ]) {
      // biome-ignore lint/suspicious/noExplicitAny: one loop over the three commands
      await assert.rejects(management.send(command as any), { name: 'GoneException' })
    }
  })

  it('refuses a payload over 128 KB with PayloadTooLargeException', async () => {
    const client = await open(`${app.url}?token=good`)
    const connectionId = await connectionIdOf(client)
    await assert.rejects(
      management.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'x'.repeat(128 * 1024 + 1) }),
      ),
      { name: 'PayloadTooLargeException' },
    )
    client.socket.close()
  })

  it('takes ids encoded or not, and asks for a SigV4 Authorization header without verifying it', async () => {
    const client = await open(`${app.url}?token=good`)
    const connectionId = await connectionIdOf(client)
    const signed = {
      authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
    }
    const unsigned = await fetch(`${app.managementEndpoint}/@connections/${connectionId}`, {
      method: 'POST',
      body: 'x',
    })
    assert.equal(unsigned.status, 403)
    assert.deepEqual(await unsigned.json(), { message: 'Missing Authentication Token' })

    const raw = await fetch(`${app.managementEndpoint}/@connections/${connectionId}`, {
      method: 'POST',
      headers: signed,
      body: 'raw id',
    })
    assert.equal(raw.status, 200)
    assert.equal(await client.nextText(), 'raw id')
    const encoded = await fetch(
      `${app.managementEndpoint}/@connections/${encodeURIComponent(connectionId)}`,
      {
        method: 'POST',
        headers: signed,
        body: 'encoded id',
      },
    )
    assert.equal(encoded.status, 200)
    assert.equal(await client.nextText(), 'encoded id')

    const gone = await fetch(`${app.managementEndpoint}/@connections/AAAAAAAAAAAAAAA=`, { headers: signed })
    assert.equal(gone.status, 410)
    assert.equal(gone.headers.get('x-amzn-errortype'), 'GoneException')
    assert.deepEqual(await gone.json(), { message: null })
    client.socket.close()
  })
})

describe('closing, limits and quotas', () => {
  it('runs $disconnect with the code and reason the client closed with', async () => {
    const client = await open(`${app.url}?token=good`)
    const connectionId = await connectionIdOf(client)
    client.socket.close(4000, 'bye')
    const disconnect = (await invoker.completed('Disconnect', connectionId)).event
    assert.equal(disconnect.isBase64Encoded, false)
    assert.equal(disconnect.headers.Host, new URL(app.url).host)
    const context = disconnect.requestContext
    assert.equal(context.routeKey, '$disconnect')
    assert.equal(context.eventType, 'DISCONNECT')
    assert.equal(context.disconnectStatusCode, 4000)
    assert.equal(context.disconnectReason, 'bye')
    assert.equal(context.authorizer.principalId, 'user-1')

    const silent = await open(`${app.url}?token=good`)
    const silentId = await connectionIdOf(silent)
    silent.socket.close()
    const status = (await invoker.completed('Disconnect', silentId)).event.requestContext
    assert.equal(status.disconnectStatusCode, 1005)
    assert.equal(status.disconnectReason, 'Client-side close frame status not set')
  })

  it('closes the connection with 1009 on a message over 128 KB', async () => {
    const client = await open(`${app.url}?token=good`)
    const connectionId = await connectionIdOf(client)
    client.send('x'.repeat(128 * 1024 + 1))
    assert.equal((await client.closed).code, 1009)
    const disconnect = (await invoker.completed('Disconnect', connectionId)).event
    assert.equal(disconnect.requestContext.disconnectStatusCode, 1009)
  })

  it('closes an idle connection, and one past its maximum duration, with 1001', async () => {
    for (const limit of [{ idleTimeoutMs: 50 }, { maxConnectionDurationMs: 50 }]) {
      const api = await startApi(plainFunctions, limit)
      const client = await open(api.url)
      const connectionId = await connectionIdOf(client)
      assert.deepEqual(await client.closed, { code: 1001, reason: 'Going away' })
      const disconnect = (await invoker.completed('Disconnect', connectionId)).event
      assert.equal(disconnect.requestContext.disconnectStatusCode, 1001)
    }
  })

  it('answers 429 to an upgrade past maxConnections', async () => {
    const api = await startApi(plainFunctions, { maxConnections: 1 })
    const first = await open(api.url)
    assert.equal((await refusal(api.url)).status, 429)
    first.socket.close()
  })

  it('closes every connection with 1001 and runs their $disconnect before close() resolves', async () => {
    const api = await startApi(plainFunctions)
    const client = await open(api.url)
    const connectionId = await connectionIdOf(client)
    await api.close()
    assert.equal((await client.closed).code, 1001)
    const disconnect = invoker.invocations.find(
      (call) => call.functionName === 'Disconnect' && call.event.requestContext.connectionId === connectionId,
    )
    assert.ok(disconnect?.outcome, '$disconnect completed')
  })
})
