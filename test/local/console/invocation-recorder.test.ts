import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvocationRecorder } from '#local/console/invocation-recorder.ts'
import type { ObservedInvocation } from '#local/lambda/invocation.ts'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

function anInvocation(overrides: Partial<ObservedInvocation> = {}): ObservedInvocation {
  return {
    functionName: 'GetGroups',
    requestId: 'req-1',
    event: { httpMethod: 'GET', path: '/groups', headers: {} },
    outcome: { kind: 'ok', value: { statusCode: 200, body: '[]' } },
    startedAt: T0,
    durationMs: 3,
    cold: false,
    capture: { logs: '', logsTruncated: false, calls: [] },
    ...overrides,
  }
}

const snsEvent = { Records: [{ EventSource: 'aws:sns', Sns: { Message: '{"Records":[{"s3":{}}]}' } }] }
const streamEvent = { Records: [{ eventSource: 'aws:dynamodb', dynamodb: { SequenceNumber: '000042' } }] }

describe('InvocationRecorder', () => {
  it('keeps at most its cap of invocations, dropping the oldest first', () => {
    const recorder = new InvocationRecorder({ invocations: 3 })

    for (let index = 1; index <= 5; index++) recorder.invoked(anInvocation({ requestId: `req-${index}` }))

    assert.deepEqual(
      recorder.list().map((item) => item.requestId),
      ['req-5', 'req-4', 'req-3'],
    )
    assert.equal(recorder.get('1'), undefined, 'the first is gone')
    assert.equal(recorder.get('5')?.requestId, 'req-5')
  })

  it('cuts log text and payloads at their caps', () => {
    const recorder = new InvocationRecorder({ logBytes: 100, payloadChars: 50 })
    const longLine = `${'x'.repeat(300)}\n`

    recorder.invoked(
      anInvocation({
        event: { body: 'y'.repeat(500) },
        capture: { logs: longLine, logsTruncated: false, calls: [] },
      }),
    )

    const detail = recorder.get('1')
    assert.equal(detail?.logsTruncated, true)
    assert.equal(String(detail?.logs[0]).length, 100)
    assert.match(String(detail?.request), /cut at 50 characters/)
    assert.ok(String(detail?.request).length < 120)
  })

  it('records trigger, outcome, start type and the correlation ids of the JSON log lines', () => {
    const recorder = new InvocationRecorder()
    const logs = [
      JSON.stringify({ level: 'INFO', message: 'image created', correlation_id: 'corr-1', imageId: 'img-1' }),
      'a plain line',
      '',
    ].join('\n')

    recorder.invoked(
      anInvocation({
        functionName: 'CreateImage',
        cold: true,
        outcome: { kind: 'error', errorType: 'Error', errorMessage: 'boom' },
        capture: { logs, logsTruncated: false, calls: [] },
      }),
    )

    const [summary] = recorder.list()
    assert.deepEqual(
      { ...summary, startedAt: undefined },
      {
        id: '1',
        functionName: 'CreateImage',
        trigger: 'http',
        requestId: 'req-1',
        startedAt: undefined,
        durationMs: 3,
        outcome: 'error',
        errorMessage: 'boom',
        cold: true,
        correlationIds: ['corr-1'],
      },
    )
    assert.deepEqual(recorder.get('1')?.logs, [
      { level: 'INFO', message: 'image created', correlation_id: 'corr-1', imageId: 'img-1' },
      'a plain line',
    ])
    assert.deepEqual(
      recorder.list({ correlationId: 'corr-1' }).map((item) => item.id),
      ['1'],
    )
    assert.deepEqual(recorder.list({ correlationId: 'other' }), [])
  })

  it('marks a failed asynchronous attempt retried when it runs again, and the last one dead-lettered', () => {
    const recorder = new InvocationRecorder()
    const failed = { kind: 'error', errorType: 'Error', errorMessage: 'no' } as const
    for (let attempt = 0; attempt < 3; attempt++) {
      recorder.invoked(
        anInvocation({ functionName: 'ResizeImage', requestId: 'event-1', event: snsEvent, outcome: failed }),
      )
    }

    recorder.deadLettered({ id: 'event-1', functionName: 'ResizeImage', source: 'sns', event: snsEvent })

    assert.deepEqual(
      recorder.list().map((item) => [item.trigger, item.disposition]),
      [
        ['s3->sns', 'dead-lettered'],
        ['s3->sns', 'retried'],
        ['s3->sns', 'retried'],
      ],
    )
    assert.equal(recorder.list({ outcome: 'dead-lettered' }).length, 1)
  })

  it('follows a stream batch by its first record across retries, whatever the request ids', () => {
    const recorder = new InvocationRecorder()
    const failed = { kind: 'ok', value: { batchItemFailures: [] } } as const
    recorder.invoked(
      anInvocation({
        functionName: 'IndexImages',
        requestId: 'a',
        event: streamEvent,
        outcome: { kind: 'crash', errorMessage: 'x' },
      }),
    )
    recorder.invoked(
      anInvocation({ functionName: 'IndexImages', requestId: 'b', event: streamEvent, outcome: failed }),
    )

    assert.deepEqual(
      recorder.list().map((item) => [item.trigger, item.outcome, item.disposition]),
      [
        ['stream', 'ok', undefined],
        ['stream', 'crash', 'retried'],
      ],
    )
  })

  it('follows a partial batch failure to the retry that starts at its first failed record', () => {
    const recorder = new InvocationRecorder()
    const batch = {
      Records: ['000001', '000002'].map((SequenceNumber) => ({
        eventSource: 'aws:dynamodb',
        dynamodb: { SequenceNumber },
      })),
    }
    recorder.invoked(
      anInvocation({
        functionName: 'IndexImages',
        event: batch,
        outcome: { kind: 'ok', value: { batchItemFailures: [{ itemIdentifier: '000002' }] } },
      }),
    )
    const retry = { Records: [batch.Records[1]] }
    recorder.invoked(
      anInvocation({
        functionName: 'IndexImages',
        event: retry,
        outcome: { kind: 'crash', errorMessage: 'x' },
      }),
    )

    recorder.deadLettered({ id: 'dl-1', functionName: 'IndexImages', source: 'dynamodb', event: retry })

    assert.deepEqual(
      recorder.list().map((item) => item.disposition),
      ['dead-lettered', 'retried'],
    )
  })

  it('redacts the request and response it shows', () => {
    const recorder = new InvocationRecorder()
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln'

    recorder.invoked(
      anInvocation({
        event: { httpMethod: 'POST', headers: { Authorization: `Bearer ${jwt}` } },
        outcome: {
          kind: 'ok',
          value: { body: JSON.stringify({ uploadUrl: 'http://s3/k?X-Amz-Signature=abc' }) },
        },
        capture: {
          logs: `${JSON.stringify({ message: `token ${jwt}` })}\n`,
          logsTruncated: false,
          calls: [],
        },
      }),
    )

    const shown = JSON.stringify(recorder.get('1'))
    assert.doesNotMatch(shown, /eyJ|X-Amz-Signature=abc/)
  })

  it('sums the embedded-metric-format lines per metric name', () => {
    const recorder = new InvocationRecorder()
    const emf = (name: string, value: number | number[]) =>
      JSON.stringify({
        _aws: {
          Timestamp: T0,
          CloudWatchMetrics: [
            { Namespace: 'udagram', Dimensions: [[]], Metrics: [{ Name: name, Unit: 'Count' }] },
          ],
        },
        [name]: value,
      })

    recorder.invoked(
      anInvocation({ capture: { logs: `${emf('ImagesCreated', 1)}\n`, logsTruncated: false, calls: [] } }),
    )
    recorder.invoked(
      anInvocation({
        capture: {
          logs: `${emf('ImagesCreated', [2, 3])}\n${emf('ColdStart', 1)}\n`,
          logsTruncated: false,
          calls: [],
        },
      }),
    )

    assert.deepEqual(recorder.metrics(), [
      { name: 'ColdStart', unit: 'Count', sum: 1, samples: 1 },
      { name: 'ImagesCreated', unit: 'Count', sum: 6, samples: 3 },
    ])
  })
})
