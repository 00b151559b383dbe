import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { marshall } from '@aws-sdk/util-dynamodb'
import type { DynamoDBRecord } from 'aws-lambda'
import { imageChangeFromStreamRecord } from '#adapters/dynamodb/image-stream-records.ts'
import { anImage } from '#test/builders/images.ts'

const TABLE = 'udagram-test-images'

function streamRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { newItem?: Record<string, unknown>; oldItem?: Record<string, unknown> },
): DynamoDBRecord {
  const item = images.newItem ?? images.oldItem ?? {}
  return {
    eventID: '1',
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ groupId: item.groupId, timestamp: item.timestamp }) as never,
      SequenceNumber: '000000000000000000042',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      ...(images.newItem && { NewImage: marshall(images.newItem) as never }),
      ...(images.oldItem && { OldImage: marshall(images.oldItem) as never }),
    },
  }
}

describe('image changes from the Images stream', () => {
  it('reads an INSERT as an upsert of the new item, with its revision', () => {
    const image = anImage()
    const change = imageChangeFromStreamRecord(
      streamRecord('INSERT', { newItem: { ...image, revision: 1 } }),
      TABLE,
    )
    assert.deepEqual(change, { kind: 'upsert', image, revision: 1 })
  })

  it('reads a MODIFY as an upsert of the new item, not the old one', () => {
    const image = anImage()
    const ready = { ...image, status: 'ready' as const, thumbnailUrl: 'https://thumbs/x.webp' }
    const change = imageChangeFromStreamRecord(
      streamRecord('MODIFY', { oldItem: { ...image, revision: 1 }, newItem: { ...ready, revision: 2 } }),
      TABLE,
    )
    assert.deepEqual(change, { kind: 'upsert', image: ready, revision: 2 })
  })

  it('reads a REMOVE, which has no NewImage, as a removal newer than the deleted item', () => {
    const image = anImage()
    const change = imageChangeFromStreamRecord(
      streamRecord('REMOVE', { oldItem: { ...image, revision: 2 } }),
      TABLE,
    )
    assert.deepEqual(change, { kind: 'remove', imageId: image.imageId, revision: 3 })
  })

  it('counts items written before revisions existed as revision 0', () => {
    const image = anImage()
    assert.deepEqual(imageChangeFromStreamRecord(streamRecord('INSERT', { newItem: { ...image } }), TABLE), {
      kind: 'upsert',
      image,
      revision: 0,
    })
  })

  it('refuses, naming the record, what cannot be an image change', () => {
    const image = anImage()
    const keysOnly = streamRecord('INSERT', { newItem: { ...image } })
    delete keysOnly.dynamodb?.NewImage
    assert.throws(() => imageChangeFromStreamRecord(keysOnly, TABLE), /000000000000000000042 has no NewImage/)
    assert.throws(
      () => imageChangeFromStreamRecord(streamRecord('INSERT', { newItem: { ...image, title: 7 } }), TABLE),
      /no string "title"/,
    )
    assert.throws(
      () =>
        imageChangeFromStreamRecord(streamRecord('MODIFY', { newItem: { ...image, revision: -1 } }), TABLE),
      /invalid revision/,
    )
    assert.throws(
      () =>
        imageChangeFromStreamRecord(
          { ...streamRecord('INSERT', { newItem: { ...image } }), eventName: undefined },
          TABLE,
        ),
      /unknown eventName/,
    )
  })
})
