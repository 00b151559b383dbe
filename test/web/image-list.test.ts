import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  applyGroupEvent,
  type GroupEvent,
  type ImageSummary,
  mergeImages,
  parseGroupEvent,
} from '../../web/src/lib/image-list.ts'

const anImage = (overrides: Partial<ImageSummary> = {}): ImageSummary => ({
  imageId: 'img-1',
  groupId: 'g',
  title: 'Harbour',
  userId: 'alice',
  description: 'at dusk',
  timestamp: '2026-11-25T10:00:00.000Z',
  imageUrl: 'http://cdn.test/img-1',
  status: 'pending',
  ...overrides,
})

const uploaded = (imageId: string): GroupEvent => ({
  type: 'image.uploaded',
  groupId: 'g',
  imageId,
  title: `Image ${imageId}`,
  imageUrl: `http://cdn.test/${imageId}`,
})

const ids = (list: ImageSummary[]) => list.map((image) => image.imageId)

describe('live-update merge', () => {
  it('puts an image first heard of live at the top, newest first', () => {
    const listed = [anImage({ imageId: 'old', timestamp: '2026-11-25T09:00:00.000Z' })]
    const list = applyGroupEvent(listed, uploaded('new'), new Date('2026-11-25T11:00:00.000Z'))
    assert.deepEqual(ids(list), ['new', 'old'])
    assert.equal(list[0]?.status, 'pending')
  })

  it('keeps one entry per image when the same event or listing arrives twice', () => {
    const at = new Date('2026-11-25T11:00:00.000Z')
    const once = applyGroupEvent([], uploaded('a'), at)
    const twice = applyGroupEvent(once, uploaded('a'), new Date('2026-11-25T11:00:05.000Z'))
    assert.deepEqual(twice, once)
    assert.deepEqual(ids(mergeImages(twice, [anImage({ imageId: 'a' })], [anImage({ imageId: 'a' })])), ['a'])
  })

  it('turns pending into ready with the thumbnail, and never back', () => {
    const pending = [anImage()]
    const ready = applyGroupEvent(
      pending,
      {
        type: 'image.ready',
        groupId: 'g',
        imageId: 'img-1',
        title: 'Harbour',
        imageUrl: 'http://cdn.test/img-1',
        thumbnailUrl: 'http://cdn.test/thumb-1',
      },
      new Date(),
    )
    assert.equal(ready[0]?.status, 'ready')
    assert.equal(ready[0]?.thumbnailUrl, 'http://cdn.test/thumb-1')
    assert.equal(ready[0]?.description, 'at dusk', 'what the listing knew stays')
    assert.equal(ready[0]?.userId, 'alice')
    assert.equal(ready[0]?.timestamp, '2026-11-25T10:00:00.000Z', 'the creation time stays')

    const staleListing = mergeImages(ready, [anImage({ status: 'pending' })])
    assert.equal(staleListing[0]?.status, 'ready', 'a listing read before the thumbnail does not undo it')
  })

  it('marks a failed image with its reason', () => {
    const list = applyGroupEvent(
      [anImage()],
      {
        type: 'image.failed',
        groupId: 'g',
        imageId: 'img-1',
        title: 'H',
        imageUrl: 'u',
        reason: 'not an image',
      },
      new Date(),
    )
    assert.deepEqual([list[0]?.status, list[0]?.failureReason], ['failed', 'not an image'])
  })

  it('reads only well-formed group events from the socket', () => {
    assert.deepEqual(parseGroupEvent(JSON.stringify(uploaded('a'))), uploaded('a'))
    for (const frame of [
      '{"type":"subscribed","groupId":"g"}',
      '{"type":"error","message":"group x does not exist"}',
      '{"type":"image.ready","groupId":"g","imageId":"a","title":"t","imageUrl":"u"}',
      '{"type":"image.uploaded","groupId":1,"imageId":"a","title":"t","imageUrl":"u"}',
      'not json',
      'null',
    ]) {
      assert.equal(parseGroupEvent(frame), undefined, frame)
    }
    assert.equal(parseGroupEvent(new ArrayBuffer(2)), undefined)
  })
})
