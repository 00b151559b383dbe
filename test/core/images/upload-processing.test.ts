import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InMemoryThumbnailStore, InMemoryUploadedImages } from '#adapters/in-memory/in-memory-image-files.ts'
import { InMemoryImageRepository } from '#adapters/in-memory/in-memory-image-repository.ts'
import type { Image } from '#core/images/image.ts'
import { uploadAnnouncements } from '#core/images/upload-announcements.ts'
import { uploadProcessing } from '#core/images/upload-processing.ts'
import { anImage } from '#test/builders/images.ts'
import {
  BMP_BYTES,
  JPEG_BYTES,
  MagicNumberRenderer,
  PNG_BYTES,
  TEXT_BYTES,
} from '#test/fakes/magic-number-renderer.ts'
import { RecordingNotifications } from '#test/fakes/recording-notifications.ts'

async function setUp(image: Image = anImage({ contentType: 'image/jpeg' })) {
  const images = new InMemoryImageRepository()
  await images.add(image)
  const uploads = new InMemoryUploadedImages()
  const thumbnails = new InMemoryThumbnailStore()
  const renderer = new MagicNumberRenderer()
  const notifications = new RecordingNotifications()
  const processing = uploadProcessing({
    images,
    uploads,
    thumbnails,
    renderer,
    notifications,
    maxUploadBytes: 100,
    thumbnailWidth: 150,
  })
  return { image, images, uploads, thumbnails, renderer, notifications, processing }
}

describe('processing an upload', () => {
  it('makes a 150 px WebP thumbnail, marks the image ready and tells the group', async () => {
    const { image, images, uploads, thumbnails, notifications, processing } = await setUp()
    uploads.store(image.imageId, JPEG_BYTES, 'image/jpeg')

    const outcome = await processing.processUpload(image.imageId)

    assert.deepEqual(outcome, { kind: 'ready', imageId: image.imageId })
    const thumbnailUrl = `memory://thumbnails/${image.imageId}.webp`
    assert.deepEqual(thumbnails.objects.get(`${image.imageId}.webp`)?.contentType, 'image/webp')
    assert.deepEqual(await images.getById(image.imageId), { ...image, status: 'ready', thumbnailUrl })
    assert.deepEqual(notifications.events, [
      {
        type: 'image.ready',
        groupId: image.groupId,
        imageId: image.imageId,
        title: image.title,
        imageUrl: image.imageUrl,
        thumbnailUrl,
      },
    ])
  })

  it('does nothing more when the same event is delivered again', async () => {
    const { image, uploads, thumbnails, renderer, notifications, processing } = await setUp()
    uploads.store(image.imageId, JPEG_BYTES)
    await processing.processUpload(image.imageId)

    const again = await processing.processUpload(image.imageId)

    assert.deepEqual(again, { kind: 'already-settled', imageId: image.imageId })
    assert.equal(thumbnails.puts, 1)
    assert.equal(renderer.renders, 1)
    assert.equal(notifications.events.length, 1)
  })

  for (const [name, bytes, contentType, reason] of [
    ['bytes that are not an image', TEXT_BYTES, 'image/jpeg', /not a decodable image/],
    ['an image of a type not allowed', BMP_BYTES, 'image/bmp', /image\/bmp is not an allowed type/],
    ['another type than the one declared', PNG_BYTES, 'image/png', /image\/png, not the image\/jpeg/],
  ] as const) {
    it(`marks the image failed, with no thumbnail, for ${name}`, async () => {
      const { image, images, uploads, thumbnails, notifications, processing } = await setUp()
      uploads.store(image.imageId, bytes, contentType)

      const outcome = await processing.processUpload(image.imageId)

      assert.equal(outcome.kind, 'failed')
      const stored = await images.getById(image.imageId)
      assert.equal(stored?.status, 'failed')
      assert.match(stored?.failureReason ?? '', reason)
      assert.equal(thumbnails.objects.size, 0)
      assert.equal(notifications.events[0]?.type, 'image.failed')
    })
  }

  it('refuses an upload over the size limit without reading it', async () => {
    const { image, images, uploads, renderer, processing } = await setUp()
    uploads.store(image.imageId, new Uint8Array(101).fill(0xff))

    const outcome = await processing.processUpload(image.imageId)

    assert.equal(outcome.kind, 'failed')
    assert.match(
      (await images.getById(image.imageId))?.failureReason ?? '',
      /101 bytes, over the 100-byte limit/,
    )
    assert.equal(renderer.renders, 0)
  })

  it('accepts any allowed type when the image did not declare one', async () => {
    const { contentType: _, ...undeclared } = anImage()
    const { uploads, processing } = await setUp(undeclared)
    uploads.store(undeclared.imageId, PNG_BYTES)

    assert.equal((await processing.processUpload(undeclared.imageId)).kind, 'ready')
  })

  it('ignores objects that belong to no image, and uploads that are gone', async () => {
    const { image, processing } = await setUp()

    assert.equal((await processing.processUpload('stray-object')).kind, 'ignored')
    assert.equal((await processing.processUpload(image.imageId)).kind, 'ignored')
  })
})

describe('announcing an upload', () => {
  it('announces an upload to the group', async () => {
    const { image, images, notifications } = await setUp()
    const announcements = uploadAnnouncements({ images, notifications })

    assert.deepEqual(await announcements.announceUpload(image.imageId), {
      kind: 'announced',
      imageId: image.imageId,
      sent: 1,
    })
    assert.deepEqual(notifications.events, [
      {
        type: 'image.uploaded',
        groupId: image.groupId,
        imageId: image.imageId,
        title: image.title,
        imageUrl: image.imageUrl,
      },
    ])
  })

  it('ignores objects that belong to no image', async () => {
    const { images, notifications } = await setUp()
    const announcements = uploadAnnouncements({ images, notifications })

    assert.equal((await announcements.announceUpload('stray')).kind, 'ignored')
    assert.deepEqual(notifications.events, [])
  })
})
