import assert from 'node:assert/strict'
import { afterEach, describe, it, mock } from 'node:test'
import { MemoryStreamSource } from '#test/fakes/memory-stream-source.ts'
import { aHeldOutcome, ScriptedStreamFunction } from '#test/fakes/scripted-stream-function.ts'
import {
  aDefinition,
  anImageChange,
  aStreamEvent,
  IMAGES_TABLE,
  type StreamsHarness,
  sequenceNumbers,
  settle,
  startStreams,
} from './stream-fixture.ts'

const appendImages = (source: MemoryStreamSource, count: number) =>
  Array.from(
    { length: count },
    (_, index) => source.append(IMAGES_TABLE, anImageChange(`image-${index}`)).dynamodb.SequenceNumber,
  )

describe('stream batches', () => {
  let harness: StreamsHarness | undefined

  afterEach(async () => {
    mock.timers.reset()
    await harness?.streams.stop()
    harness = undefined
  })

  it('delivers the records kept in batches of batchSize, in stream order, as { Records }', async () => {
    const source = new MemoryStreamSource([IMAGES_TABLE])
    const first = source.append(IMAGES_TABLE, anImageChange('first'))
    const written = [first.dynamodb.SequenceNumber, ...appendImages(source, 4)]
    harness = await startStreams(aDefinition({ IndexImages: [aStreamEvent({ batchSize: 2 })] }), { source })

    await harness.streams.idle()
    const later = appendImages(source, 2)
    await harness.streams.idle()

    assert.deepEqual(harness.lambda.batches('IndexImages'), [
      written.slice(0, 2),
      written.slice(2, 4),
      written.slice(4),
      later,
    ])
    assert.deepEqual(harness.lambda.calls[0]?.records[0], first)
  })

  it('has one batch in flight per mapping: the next waits for the previous invocation', async () => {
    const held = aHeldOutcome()
    const lambda = new ScriptedStreamFunction((_call, attempt) =>
      attempt === 1 ? held.outcome : { kind: 'ok', value: null },
    )
    harness = await startStreams(aDefinition({ IndexImages: [aStreamEvent({ batchSize: 1 })] }), {
      functions: lambda,
    })
    const [first, second, third] = appendImages(harness.source, 3)

    await lambda.called(1)
    await settle()
    const whileHeld = lambda.batches()
    held.release()
    await harness.streams.idle()

    assert.deepEqual(whileHeld, [[first]])
    assert.deepEqual(lambda.batches(), [[first], [second], [third]])
  })

  it('sends a smaller batch once the batching window has passed since the first record waited', async () => {
    mock.timers.enable({ apis: ['setTimeout'] })
    harness = await startStreams(
      aDefinition({ IndexImages: [aStreamEvent({ batchSize: 3, batchWindow: 1 })] }),
    )
    const written = appendImages(harness.source, 2)

    await settle()
    mock.timers.tick(999)
    await settle()
    const beforeTheWindow = harness.lambda.batches()
    mock.timers.tick(1)
    await harness.streams.idle()

    assert.deepEqual(beforeTheWindow, [])
    assert.deepEqual(harness.lambda.batches(), [written])
  })

  it('sends a full batch at once, without waiting for the window', async () => {
    mock.timers.enable({ apis: ['setTimeout'] })
    harness = await startStreams(
      aDefinition({ IndexImages: [aStreamEvent({ batchSize: 3, batchWindow: 300 })] }),
    )

    const written = appendImages(harness.source, 4)
    await settle()

    assert.deepEqual(harness.lambda.batches(), [written.slice(0, 3)])
  })

  it('reads the stream now and then, so an append it was not told of is delivered too', async () => {
    harness = await startStreams(aDefinition({ IndexImages: [aStreamEvent()] }), { pollIntervalMs: 10 })

    const record = harness.source.append(IMAGES_TABLE, anImageChange('quiet'), { silently: true })
    await harness.lambda.called(1)

    assert.deepEqual(harness.lambda.batches(), [sequenceNumbers([record])])
  })

  it('gives each function its own mapping and order on a shared table', async () => {
    harness = await startStreams(
      aDefinition({
        IndexImages: [aStreamEvent({ batchSize: 2 })],
        NotifyGroups: [aStreamEvent({ batchSize: 3 })],
      }),
    )

    const written = appendImages(harness.source, 3)
    await harness.streams.idle()

    assert.deepEqual(harness.lambda.batches('IndexImages').flat(), written)
    assert.deepEqual(harness.lambda.batches('NotifyGroups'), [written])
  })

  it('logs one line per delivered batch, with sequence numbers but never the records', async () => {
    harness = await startStreams(aDefinition({ IndexImages: [aStreamEvent()] }))

    const [record] = appendImages(harness.source, 1)
    await harness.streams.idle()

    const [line, ...others] = harness.log.lines
    assert.deepEqual(others, [])
    assert.deepEqual(line, {
      level: 'info',
      message: 'batch delivered',
      details: {
        functionName: 'IndexImages',
        table: IMAGES_TABLE,
        records: 1,
        firstSequenceNumber: record,
        lastSequenceNumber: record,
        attempt: 1,
      },
    })
  })

  it('does not poll a disabled mapping', async () => {
    harness = await startStreams(aDefinition({ IndexImages: [aStreamEvent({ enabled: false })] }))

    appendImages(harness.source, 1)
    await harness.streams.idle()

    assert.deepEqual(harness.lambda.calls, [])
    assert.equal(harness.source.listenerCount, 0)
  })

  it('stops listening to the stream once stopped', async () => {
    harness = await startStreams(aDefinition({ IndexImages: [aStreamEvent()] }))

    await harness.streams.stop()
    appendImages(harness.source, 1)
    await settle()

    assert.equal(harness.source.listenerCount, 0)
    assert.deepEqual(harness.lambda.calls, [])
  })
})
