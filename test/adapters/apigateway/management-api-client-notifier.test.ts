import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  createManagementApiClient,
  ManagementApiClientNotifier,
} from '#adapters/apigateway/management-api-client-notifier.ts'

interface ReceivedRequest {
  method: string
  path: string
  authorization: string
  body: string
}

type Answer = { status: number; headers?: Record<string, string>; body?: string }

/**
 * A stand-in for API Gateway's Management API on loopback, answering `POST /{stage}/@connections/{id}`
 * as the real one does: 200 with no body, or an error status with `x-amzn-ErrorType` and a JSON body.
 */
async function startManagementApi(answerFor: (connectionId: string) => Answer) {
  const received: ReceivedRequest[] = []
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
      received.push({
        method: request.method ?? '',
        path,
        authorization: String(request.headers.authorization ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
      })
      const connectionId = /^\/dev\/@connections\/(.+)$/.exec(path)?.[1]
      const answer =
        connectionId === undefined
          ? { status: 404, body: '{"message":"Not Found"}' }
          : answerFor(connectionId)
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      response.end(answer.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}/dev`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const answers: Record<string, Answer> = {
  open: { status: 200 },
  closed: {
    status: 410,
    headers: { 'x-amzn-ErrorType': 'GoneException' },
    body: '{"message":null}',
  },
  forbidden: {
    status: 403,
    headers: { 'x-amzn-ErrorType': 'ForbiddenException' },
    body: '{"message":"Forbidden"}',
  },
  broken: { status: 500, body: '{"message":"Internal server error"}' },
}

describe('ManagementApiClientNotifier against a local Management API', () => {
  let api: Awaited<ReturnType<typeof startManagementApi>>
  let notifier: ManagementApiClientNotifier

  before(async () => {
    api = await startManagementApi(
      (connectionId) => answers[connectionId.split('-')[0] ?? ''] ?? { status: 200 },
    )
    notifier = new ManagementApiClientNotifier(
      createManagementApiClient({
        region: 'us-east-1',
        endpoint: api.endpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    )
  })
  after(() => api.close())

  it("posts the message as JSON to the connection under the endpoint's stage, signed for execute-api", async () => {
    const message = { type: 'image-ready', imageId: 'i-1', title: 'Été 🌞' }

    const outcome = await notifier.send('open-L0SM9cOFvHcCIhw=', message)

    assert.equal(outcome, 'sent')
    const request = api.received.at(-1)
    assert.equal(request?.method, 'POST')
    assert.equal(request?.path, '/dev/@connections/open-L0SM9cOFvHcCIhw=')
    assert.deepEqual(JSON.parse(request?.body ?? ''), message)
    assert.match(
      request?.authorization ?? '',
      /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/execute-api\/aws4_request/,
    )
  })

  it("answers 'gone' when API Gateway says the connection is gone (410 GoneException)", async () => {
    assert.equal(await notifier.send('closed-1', { type: 'image-ready' }), 'gone')
  })

  it('throws any other refusal, such as 403', async () => {
    await assert.rejects(notifier.send('forbidden-1', {}), { name: 'ForbiddenException' })
  })

  it('throws a server error once the client has given up retrying', async () => {
    await assert.rejects(
      notifier.send('broken-1', {}),
      (error: { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.$metadata?.httpStatusCode, 500)
        return true
      },
    )
  })

  it('refuses a message JSON cannot represent, without calling API Gateway', async () => {
    const before = api.received.length

    await assert.rejects(notifier.send('open-2', undefined), TypeError)

    assert.equal(api.received.length, before)
  })
})
