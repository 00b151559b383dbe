import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { MemoryStreamSource } from '#test/fakes/memory-stream-source.ts'
import {
  aDefinition,
  anImageChange,
  aStreamEvent,
  IMAGES_TABLE,
  type StreamsHarness,
  sequenceNumbers,
  startStreams,
} from './stream-fixture.ts'

const readyInserts = {
  filterPatterns: [{ eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['READY'] } } } }],
}

const withStatus = (imageId: string, status: string, eventName: 'INSERT' | 'MODIFY' = 'INSERT') =>
  anImageChange(imageId, {
    eventName,
    newImage: { imageId: { S: imageId }, status: { S: status } },
  })

describe('stream record filtering (filterPatterns)', () => {
  let harness: StreamsHarness | undefined

  afterEach(async () => {
    await harness?.streams.stop()
    harness = undefined
  })

  it('delivers only the records that match a pattern, and moves past the others', async () => {
    const source = new MemoryStreamSource([IMAGES_TABLE])
    harness = await startStreams(
      aDefinition({ IndexImages: [aStreamEvent({ batchSize: 2, ...readyInserts })] }),
      {
        source,
      },
    )

    const ready = source.append(IMAGES_TABLE, withStatus('a', 'READY'))
    source.append(IMAGES_TABLE, withStatus('b', 'PENDING'))
    source.append(IMAGES_TABLE, withStatus('a', 'READY', 'MODIFY'))
    const alsoReady = source.append(IMAGES_TABLE, withStatus('c', 'READY'))
    const last = source.append(IMAGES_TABLE, withStatus('d', 'PENDING'))
    await harness.streams.idle()

    assert.deepEqual(harness.lambda.batches(), [sequenceNumbers([ready, alsoReady])])
    assert.deepEqual(source.trims.at(-1), { tableName: IMAGES_TABLE, upTo: last.dynamodb.SequenceNumber })
  })

  it('moves past records no pattern matches without invoking the function', async () => {
    const source = new MemoryStreamSource([IMAGES_TABLE])
    harness = await startStreams(aDefinition({ IndexImages: [aStreamEvent(readyInserts)] }), { source })

    const pending = source.append(IMAGES_TABLE, withStatus('a', 'PENDING'))
    await harness.streams.idle()

    assert.deepEqual(harness.lambda.calls, [])
    assert.deepEqual(source.trims, [{ tableName: IMAGES_TABLE, upTo: pending.dynamodb.SequenceNumber }])
  })

  it('delivers a record that matches any one of several patterns', async () => {
    harness = await startStreams(
      aDefinition({
        IndexImages: [
          aStreamEvent({ filterPatterns: [{ eventName: ['REMOVE'] }, { eventName: ['MODIFY'] }] }),
        ],
      }),
    )

    harness.source.append(IMAGES_TABLE, withStatus('a', 'READY'))
    const modified = harness.source.append(IMAGES_TABLE, withStatus('a', 'READY', 'MODIFY'))
    const removed = harness.source.append(IMAGES_TABLE, { ...anImageChange('a'), eventName: 'REMOVE' })
    await harness.streams.idle()

    assert.deepEqual(harness.lambda.batches(), [sequenceNumbers([modified, removed])])
  })
})
