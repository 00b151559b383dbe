import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { environment } from '../../infra/environment.ts'
import { createImageRequestSchema } from '../../infra/schemas/create-image-request.ts'
import {
  type FileFacts,
  MAX_UPLOAD_BYTES,
  percentOf,
  refusalOf,
  titleOf,
  type Upload,
  type UploadEvent,
  uploadQueue,
  uploadsToStart,
} from '../../web/src/lib/upload-queue.ts'

const aFile = (overrides: Partial<FileFacts> = {}): FileFacts => ({
  name: 'Harbour at dusk.jpg',
  type: 'image/jpeg',
  size: 2_000,
  ...overrides,
})

const run = (...events: UploadEvent[]): Upload[] => events.reduce<Upload[]>(uploadQueue, [])
const statusOf = (queue: Upload[], id: string) => queue.find((upload) => upload.id === id)?.status

describe('upload queue', () => {
  it('checks type and size as the API does, before anything is sent', () => {
    assert.equal(MAX_UPLOAD_BYTES, Number(environment.MAX_UPLOAD_BYTES))
    assert.deepEqual(
      ['image/jpeg', 'image/png', 'image/webp', 'image/gif'].map((type) => refusalOf(aFile({ type }))),
      [undefined, undefined, undefined, undefined],
    )
    assert.deepEqual(createImageRequestSchema.properties.contentType.enum, [
      'image/jpeg',
      'image/png',
      'image/webp',
      'image/gif',
    ])
    assert.match(refusalOf(aFile({ type: 'text/plain' })) ?? '', /text\/plain is not accepted/)
    assert.match(refusalOf(aFile({ type: '' })) ?? '', /This file type is not accepted/)
    assert.match(refusalOf(aFile({ size: 0 })) ?? '', /empty/)
    assert.equal(refusalOf(aFile({ size: MAX_UPLOAD_BYTES })), undefined)
    assert.match(refusalOf(aFile({ size: MAX_UPLOAD_BYTES + 1 })) ?? '', /limit is 10\.0 MB/)
  })

  it('queues accepted files and marks refused ones at once, with titles from their names', () => {
    const queue = run({
      type: 'add',
      uploads: [
        { id: 'a', file: aFile() },
        { id: 'b', file: aFile({ name: 'notes.txt', type: 'text/plain' }) },
      ],
    })
    assert.deepEqual(
      queue.map((upload) => [upload.id, upload.title, upload.status.kind]),
      [
        ['a', 'Harbour at dusk', 'queued'],
        ['b', 'notes', 'rejected'],
      ],
    )
    assert.equal(titleOf('.hidden'), '.hidden')
    assert.equal([...titleOf(`${'é'.repeat(250)}.png`)].length, 200)
  })

  it('starts no more than two at once, oldest first, and the next when one finishes', () => {
    const files = ['a', 'b', 'c'].map((id) => ({ id, file: aFile() }))
    let queue = run({ type: 'add', uploads: files })
    assert.deepEqual(
      uploadsToStart(queue).map((u) => u.id),
      ['a', 'b'],
    )
    queue = [{ type: 'start', id: 'a' } as const, { type: 'start', id: 'b' } as const].reduce(
      uploadQueue,
      queue,
    )
    assert.deepEqual(uploadsToStart(queue), [])
    queue = [
      { type: 'created', id: 'a', imageId: 'img-a' } as const,
      { type: 'progress', id: 'a', sent: 2_000, total: 2_000 } as const,
      { type: 'sent', id: 'a' } as const,
    ].reduce(uploadQueue, queue)
    assert.deepEqual(
      uploadsToStart(queue).map((u) => u.id),
      ['c'],
    )
  })

  it('goes queued, creating, uploading with progress, uploaded', () => {
    const queue = run(
      { type: 'add', uploads: [{ id: 'a', file: aFile({ size: 1000 }) }] },
      { type: 'start', id: 'a' },
      { type: 'created', id: 'a', imageId: 'img-a' },
      { type: 'progress', id: 'a', sent: 250, total: 1000 },
    )
    const [upload] = queue
    assert.ok(upload)
    assert.equal(upload.imageId, 'img-a')
    assert.deepEqual(upload.status, { kind: 'uploading', sent: 250, total: 1000 })
    assert.equal(percentOf(upload), 25)
    const done = uploadQueue(queue, { type: 'sent', id: 'a' })
    assert.equal(done[0] && percentOf(done[0]), 100)
  })

  it('cancels a queued or running upload, and ignores what happens to it afterwards', () => {
    const queue = run(
      {
        type: 'add',
        uploads: [
          { id: 'a', file: aFile() },
          { id: 'b', file: aFile() },
        ],
      },
      { type: 'start', id: 'a' },
      { type: 'created', id: 'a', imageId: 'img-a' },
      { type: 'cancel', id: 'a' },
      { type: 'cancel', id: 'b' },
      { type: 'progress', id: 'a', sent: 10, total: 2000 },
      { type: 'sent', id: 'a' },
      { type: 'fail', id: 'a', reason: 'aborted' },
      { type: 'start', id: 'b' },
    )
    assert.deepEqual(statusOf(queue, 'a'), { kind: 'cancelled' })
    assert.deepEqual(statusOf(queue, 'b'), { kind: 'cancelled' })
    assert.deepEqual(uploadsToStart(queue), [])
  })

  it('keeps a failure reason, cannot cancel a finished upload, and dismisses only finished ones', () => {
    let queue = run(
      {
        type: 'add',
        uploads: [
          { id: 'a', file: aFile() },
          { id: 'b', file: aFile() },
        ],
      },
      { type: 'start', id: 'a' },
      { type: 'fail', id: 'a', reason: 'group g does not exist' },
      { type: 'cancel', id: 'a' },
    )
    assert.deepEqual(statusOf(queue, 'a'), { kind: 'failed', reason: 'group g does not exist' })
    queue = uploadQueue(uploadQueue(queue, { type: 'dismiss', id: 'a' }), { type: 'dismiss', id: 'b' })
    assert.deepEqual(
      queue.map((upload) => upload.id),
      ['b'],
      'a queued upload is cancelled, not dismissed',
    )
  })

  it('never shows more than was sent, nor progress of an upload that is not uploading', () => {
    const queue = run(
      { type: 'add', uploads: [{ id: 'a', file: aFile({ size: 100 }) }] },
      { type: 'progress', id: 'a', sent: 50, total: 100 },
    )
    assert.deepEqual(statusOf(queue, 'a'), { kind: 'queued' })
    const started = run(
      { type: 'add', uploads: [{ id: 'a', file: aFile({ size: 100 }) }] },
      { type: 'start', id: 'a' },
      { type: 'created', id: 'a', imageId: 'i' },
      { type: 'progress', id: 'a', sent: 150, total: 100 },
    )
    assert.deepEqual(statusOf(started, 'a'), { kind: 'uploading', sent: 100, total: 100 })
  })
})
