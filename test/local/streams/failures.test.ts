import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import type { InvocationOutcome } from '#local/lambda/invocation.ts'
import { MemoryStreamSource } from '#test/fakes/memory-stream-source.ts'
import {
  aFunctionError,
  batchItemFailures,
  ScriptedStreamFunction,
} from '#test/fakes/scripted-stream-function.ts'
import {
  aDefinition,
  anImageChange,
  aStreamEvent,
  failureQueue,
  IMAGES_TABLE,
  type StreamsHarness,
  sequenceNumbers,
  startStreams,
} from './stream-fixture.ts'

const ok: InvocationOutcome = { kind: 'ok', value: null }

describe('stream batches that fail', () => {
  let harness: StreamsHarness | undefined

  afterEach(async () => {
    await harness?.streams.stop()
    harness = undefined
  })

  /** Starts IndexImages with these stream options, then appends `count` records in one go. */
  async function deliver(
    count: number,
    options: Record<string, unknown>,
    script: ConstructorParameters<typeof ScriptedStreamFunction>[0],
    source = new MemoryStreamSource([IMAGES_TABLE]),
  ) {
    const lambda = new ScriptedStreamFunction(script)
    harness = await startStreams(aDefinition({ IndexImages: [aStreamEvent(options)] }), {
      functions: lambda,
      source,
    })
    const records = Array.from({ length: count }, (_, index) =>
      source.append(IMAGES_TABLE, anImageChange(`image-${index}`)),
    )
    await harness.streams.idle()
    return { lambda, harness, seq: sequenceNumbers(records), records }
  }

  describe('with ReportBatchItemFailures', () => {
    const reporting = { batchSize: 5, functionResponseType: 'ReportBatchItemFailures' }

    it('retries from the lowest failed record, never sending again the ones before it', async () => {
      let reported: string[] = []
      const { lambda, seq } = await deliver(5, reporting, (call, attempt) => {
        if (attempt > 1) return ok
        reported = [call.records[3], call.records[2], call.records[4]].map(
          (record) => record?.dynamodb.SequenceNumber ?? '',
        )
        return batchItemFailures(...reported)
      })

      assert.deepEqual(reported, [seq[3], seq[2], seq[4]])
      assert.deepEqual(lambda.batches(), [seq, seq.slice(2)])
    })

    it('takes an empty list, a null list or no response as a success', async () => {
      const responses: unknown[] = [
        { batchItemFailures: [] },
        { batchItemFailures: null },
        null,
        undefined,
        {},
      ]
      const { lambda } = await deliver(5, { ...reporting, batchSize: 1 }, (_call, attempt) => ({
        kind: 'ok',
        value: responses[attempt - 1],
      }))

      assert.equal(lambda.calls.length, 5)
    })

    const malformed: Array<[string, unknown]> = [
      ['an itemIdentifier not in the batch', { batchItemFailures: [{ itemIdentifier: '999' }] }],
      ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
      ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
      ['a misspelt key', { batchItemFailures: [{ itemIdentifer: '000000000000000000101' }] }],
      ['a list that is no list', { batchItemFailures: 'all' }],
      ['a response that is no object', 'failed'],
    ]
    for (const [what, response] of malformed) {
      it(`takes ${what} as a failure of the whole batch`, async () => {
        const { lambda, seq } = await deliver(3, reporting, (_call, attempt) =>
          attempt === 1 ? { kind: 'ok', value: response } : ok,
        )

        assert.deepEqual(lambda.batches(), [seq, seq])
      })
    }

    it('counts a partial failure as a retry of the records that remain', async () => {
      const { lambda, seq, harness } = await deliver(
        3,
        { ...reporting, maximumRetryAttempts: 1, destinations: { onFailure: failureQueue } },
        (call) => batchItemFailures(call.records.at(-2)?.dynamodb.SequenceNumber ?? ''),
      )

      assert.deepEqual(lambda.batches(), [seq, seq.slice(1)])
      const letters = await harness.deadLetters.list()
      assert.deepEqual(
        letters.map((letter) => [
          sequenceNumbers((letter.event as { Records: [] }).Records),
          letter.attempts,
        ]),
        [[seq.slice(1), 2]],
      )
    })
  })

  it('ignores what the function returns without ReportBatchItemFailures', async () => {
    const { lambda, seq } = await deliver(3, { batchSize: 3 }, () =>
      batchItemFailures('000000000000000000101'),
    )

    assert.deepEqual(lambda.batches(), [seq])
  })

  const failures: Array<[string, InvocationOutcome | Error]> = [
    ['an error', aFunctionError],
    ['a timeout', { kind: 'timeout', timeoutSeconds: 6 }],
    ['a crash', { kind: 'crash', errorMessage: 'Runtime exited with error: exit status 1' }],
    ['an invoker that throws', new Error('the local Lambda service is not ready')],
  ]
  for (const [what, failure] of failures) {
    it(`retries the whole batch after ${what}`, async () => {
      const { lambda, seq, harness } = await deliver(2, { batchSize: 2 }, (_call, attempt) => {
        if (attempt > 1) return ok
        if (failure instanceof Error) throw failure
        return failure
      })

      assert.deepEqual(lambda.batches(), [seq, seq])
      assert.deepEqual(await harness.deadLetters.list(), [])
    })
  }

  it('gives up after maximumRetryAttempts, keeps the batch as a dead letter and moves on', async () => {
    const { lambda, seq, records, harness } = await deliver(
      3,
      { batchSize: 2, maximumRetryAttempts: 2, destinations: { onFailure: failureQueue } },
      (call) => (call.records.length === 2 ? aFunctionError : ok),
    )

    assert.deepEqual(lambda.batches(), [seq.slice(0, 2), seq.slice(0, 2), seq.slice(0, 2), seq.slice(2)])
    const [letter, ...others] = await harness.deadLetters.list()
    assert.deepEqual(others, [])
    assert.ok(letter !== undefined)
    const { id, firstAttemptAt, failedAt, ...rest } = letter
    assert.deepEqual(rest, {
      functionName: 'IndexImages',
      source: 'dynamodb',
      event: { Records: records.slice(0, 2) },
      attempts: 3,
      condition: 'RetriesExhausted',
      lastError: { kind: 'error', type: 'IndexingError', message: 'the search index refused the batch' },
      destination: failureQueue,
    })
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    assert.ok(firstAttemptAt <= failedAt)
    assert.deepEqual(
      harness.log.messages('warn').at(-1),
      'records dead-lettered (RetriesExhausted): npm run dlq -- list',
    )
  })

  it('discards the batch after its retries without an onFailure destination, as AWS does', async () => {
    const { lambda, seq, harness } = await deliver(2, { batchSize: 1, maximumRetryAttempts: 0 }, (call) =>
      call.records[0]?.dynamodb.SequenceNumber.endsWith('1') ? aFunctionError : ok,
    )

    assert.deepEqual(lambda.batches(), [[seq[0]], [seq[1]]])
    assert.deepEqual(await harness.deadLetters.list(), [])
    assert.ok(
      harness.log
        .messages('warn')
        .includes('records discarded (RetriesExhausted): the stream event has no onFailure destination'),
    )
  })

  it('bisects a failing batch to isolate the bad record, spending retries on it alone', async () => {
    const source = new MemoryStreamSource([IMAGES_TABLE])
    const poison = '000000000000000000103'
    const { lambda, seq, harness } = await deliver(
      4,
      {
        batchSize: 4,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 1,
        destinations: { onFailure: failureQueue },
      },
      (call) => (sequenceNumbers(call.records).includes(poison) ? aFunctionError : ok),
      source,
    )

    const [first, second, third, fourth] = seq
    assert.equal(third, poison)
    assert.deepEqual(lambda.batches(), [
      [first, second, third, fourth],
      [first, second],
      [third, fourth],
      [third],
      [third],
      [fourth],
    ])
    const letters = await harness.deadLetters.list()
    assert.deepEqual(
      letters.map((letter) => [sequenceNumbers((letter.event as { Records: [] }).Records), letter.attempts]),
      [[[poison], 4]],
    )
    assert.deepEqual(source.trims.at(-1), { tableName: IMAGES_TABLE, upTo: fourth })
  })

  it('gives up on records older than maximumRecordAgeInSeconds before retrying them', async () => {
    let now = Date.parse('2026-11-25T10:00:00.000Z')
    const clock = () => new Date(now)
    const source = new MemoryStreamSource([IMAGES_TABLE], { now: clock })
    const lambda = new ScriptedStreamFunction(() => {
      now += 61_000
      return aFunctionError
    })
    harness = await startStreams(
      aDefinition({
        IndexImages: [
          aStreamEvent({ maximumRecordAgeInSeconds: 60, destinations: { onFailure: failureQueue } }),
        ],
      }),
      { functions: lambda, source, now: clock },
    )

    const record = source.append(IMAGES_TABLE, anImageChange('old'))
    await harness.streams.idle()

    assert.equal(lambda.calls.length, 1)
    const [letter] = await harness.deadLetters.list()
    assert.equal(letter?.condition, 'EventAgeExceeded')
    assert.equal(letter?.attempts, 1)
    assert.deepEqual(letter?.event, { Records: [record] })
    assert.equal(letter?.lastError.type, 'IndexingError')
  })

  it('does not send records already older than maximumRecordAgeInSeconds', async () => {
    let now = Date.parse('2026-11-25T10:00:00.000Z')
    const clock = () => new Date(now)
    const source = new MemoryStreamSource([IMAGES_TABLE], { now: clock })
    const old = source.append(IMAGES_TABLE, anImageChange('old'))
    now += 120_000
    const fresh = source.append(IMAGES_TABLE, anImageChange('fresh'))
    harness = await startStreams(
      aDefinition({
        IndexImages: [
          aStreamEvent({ maximumRecordAgeInSeconds: 60, destinations: { onFailure: failureQueue } }),
        ],
      }),
      { source, now: clock },
    )

    await harness.streams.idle()

    assert.deepEqual(harness.lambda.batches(), [sequenceNumbers([fresh])])
    const [letter] = await harness.deadLetters.list()
    assert.deepEqual(letter?.event, { Records: [old] })
    assert.equal(letter?.condition, 'EventAgeExceeded')
    assert.equal(letter?.attempts, 0)
    assert.equal(letter?.lastError.kind, 'not-invoked')
  })

  it('retries without end by default, waiting longer each time', async () => {
    const waits: number[] = []
    let last = performance.now()
    const lambda = new ScriptedStreamFunction((_call, attempt) => {
      const at = performance.now()
      waits.push(at - last)
      last = at
      return attempt < 5 ? aFunctionError : ok
    })
    harness = await startStreams(aDefinition({ IndexImages: [aStreamEvent()] }), {
      functions: lambda,
      retryDelaysMs: [10, 20, 40],
    })

    harness.source.append(IMAGES_TABLE, anImageChange('stubborn'))
    await harness.streams.idle()

    assert.equal(lambda.calls.length, 5)
    const [, ...retryWaits] = waits
    assert.deepEqual(
      retryWaits.map((ms, index) => ms >= ([10, 20, 40, 40][index] ?? 0) - 1),
      [true, true, true, true],
    )
  })
})
