import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { ObservedInvocation } from '#local/lambda/invocation.ts'
import { MAX_LOG_BYTES_PER_INVOCATION } from '#local/lambda/invocation-capture.ts'
import { LocalLambda } from '#local/lambda/local-lambda.ts'
import { aFunction } from '#test/builders/function-definitions.ts'

const modulePath = fileURLToPath(new URL('./fixtures/console-functions.ts', import.meta.url))
const observed: ObservedInvocation[] = []
const lambda = new LocalLambda({
  region: 'us-east-1',
  accountId: '000000000000',
  runtimeEnvironment: {},
  functions: new Map([
    aFunction(modulePath, 'LogTwice', 'logTwice'),
    aFunction(modulePath, 'CallOut', 'callOut'),
    aFunction(modulePath, 'Chatty', 'chatty'),
  ]),
  observer: { invoked: (invocation) => observed.push(invocation) },
})
const server = createServer((request, response) => {
  response.writeHead(request.url?.startsWith('/missing') ? 404 : 200).end('ok')
})
let origin = ''

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(async () => {
  await lambda.stop()
  server.close()
})

const find = (requestId: string) => observed.find((invocation) => invocation.requestId === requestId)

describe('a local Lambda that records invocations', () => {
  it('gives each of two concurrent invocations its own log lines, and tells cold from warm', async () => {
    await Promise.all([
      lambda.invoke('LogTwice', { correlationId: 'slow', delayMs: 60 }, 'slow'),
      lambda.invoke('LogTwice', { correlationId: 'fast', delayMs: 5 }, 'fast'),
    ])
    await lambda.invoke('LogTwice', { correlationId: 'later', delayMs: 0 }, 'later')

    for (const id of ['slow', 'fast']) {
      const lines = find(id)?.capture?.logs.trim().split('\n') ?? []
      assert.deepEqual(
        lines.map((line) => JSON.parse(line) as unknown),
        [
          { message: 'first', correlation_id: id },
          { message: 'second', correlation_id: id },
        ],
      )
      assert.equal(find(id)?.cold, true, `${id} waited for the handler to load`)
    }
    assert.equal(find('later')?.cold, false)
    assert.deepEqual(find('later')?.outcome, { kind: 'ok', value: { done: 'later' } })
  })

  it('reports the HTTP calls an invocation makes, without their query strings', async () => {
    await lambda.invoke('CallOut', { url: `${origin}/missing/thing?X-Amz-Signature=secret` }, 'call')

    const calls = find('call')?.capture?.calls ?? []
    assert.equal(calls.length, 1)
    assert.deepEqual(
      { ...calls[0], startedAt: 0, durationMs: 0 },
      { method: 'GET', host: '127.0.0.1', path: '/missing/thing', status: 404, startedAt: 0, durationMs: 0 },
    )
    assert.ok((calls[0]?.durationMs ?? -1) >= 0)
  })

  it('keeps no more than its cap of log text per invocation', async () => {
    await lambda.invoke('Chatty', {}, 'chatty')

    const capture = find('chatty')?.capture
    assert.equal(capture?.logsTruncated, true)
    assert.equal(Buffer.byteLength(capture?.logs ?? ''), MAX_LOG_BYTES_PER_INVOCATION)
  })
})
