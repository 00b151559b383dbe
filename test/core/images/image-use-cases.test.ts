import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FixedClock, SteppingClock } from '#adapters/in-memory/clocks.ts'
import { InMemoryGroupRepository } from '#adapters/in-memory/in-memory-group-repository.ts'
import { InMemoryThumbnailStore } from '#adapters/in-memory/in-memory-image-files.ts'
import { InMemoryImageRepository } from '#adapters/in-memory/in-memory-image-repository.ts'
import { InMemoryImageStorage } from '#adapters/in-memory/in-memory-image-storage.ts'
import { SequentialIdGenerator } from '#adapters/in-memory/sequential-id-generator.ts'
import { imageUseCases } from '#core/images/image-use-cases.ts'
import type { Clock } from '#core/ports/clock.ts'
import type { GroupRepository } from '#core/ports/group-repository.ts'
import { ConflictError, InvalidInputError } from '#core/shared/errors.ts'
import { pageRequestFrom } from '#core/shared/pagination.ts'
import { aGroup } from '#test/builders/groups.ts'
import { aNewImageBody, anImage } from '#test/builders/images.ts'

const NOW = '2026-03-01T10:00:00.000Z'
const MAX_UPLOAD_BYTES = 10_485_760

async function setUp(
  clock: Clock = new FixedClock(NOW),
  seenByUseCases: (groups: InMemoryGroupRepository) => GroupRepository = (groups) => groups,
) {
  const groups = new InMemoryGroupRepository()
  const images = new InMemoryImageRepository()
  const storage = new InMemoryImageStorage()
  const thumbnails = new InMemoryThumbnailStore()
  await groups.add(aGroup({ id: 'beach' }))
  await groups.add(aGroup({ id: 'mountains' }))
  const useCases = imageUseCases({
    groups: seenByUseCases(groups),
    images,
    storage,
    thumbnails,
    clock,
    ids: new SequentialIdGenerator('image'),
    maxUploadBytes: MAX_UPLOAD_BYTES,
  })
  return { groups, images, storage, thumbnails, useCases }
}

/** The groups, where each group is deleted right after it is first read, as by a concurrent request. */
function deletedOnceRead(groups: InMemoryGroupRepository): GroupRepository {
  return {
    add: (group) => groups.add(group),
    listNewestFirst: (page) => groups.listNewestFirst(page),
    remove: (groupId) => groups.remove(groupId),
    get: async (groupId) => {
      const group = await groups.get(groupId)
      await groups.remove(groupId)
      return group
    },
  }
}

const notFound = (message: string) => ({ code: 'NOT_FOUND', message })

describe('image use cases', () => {
  describe('createImage', () => {
    it('stores a pending image with a new id, the clock time, the owner and its public URL', async () => {
      const { images, useCases } = await setUp()

      const { image } = await useCases.createImage(
        'beach',
        aNewImageBody({ title: 'Sunset', description: 'Red sky', contentType: 'image/png' }),
        'user-7',
      )

      const expected = {
        groupId: 'beach',
        imageId: 'image-1',
        title: 'Sunset',
        description: 'Red sky',
        userId: 'user-7',
        timestamp: NOW,
        imageUrl: 'memory://images/image-1',
        contentType: 'image/png',
        status: 'pending',
      }
      assert.deepEqual(image, expected)
      assert.deepEqual(await images.getById('image-1'), expected)
    })

    it('returns an upload URL for the image id, bound to the content type and the size', async () => {
      const { storage, useCases } = await setUp()

      const { uploadUrl } = await useCases.createImage(
        'beach',
        aNewImageBody({ contentType: 'image/webp', contentLength: 2048 }),
        'u',
      )

      assert.equal(uploadUrl, 'memory://upload/image-1?contentType=image%2Fwebp&contentLength=2048')
      assert.deepEqual(storage.issuedUploads(), [
        { key: 'image-1', contentType: 'image/webp', contentLength: 2048 },
      ])
    })

    it('leaves contentType out of the record and the upload URL when the client names none', async () => {
      const { useCases } = await setUp()

      const { image, uploadUrl } = await useCases.createImage(
        'beach',
        { title: 'Sunset', contentLength: 100 },
        'u',
      )

      assert.equal('contentType' in image, false)
      assert.equal(image.description, '')
      assert.equal(uploadUrl, 'memory://upload/image-1?contentLength=100')
    })

    it('refuses an upload over the configured limit and hands out no URL', async () => {
      const { images, storage, useCases } = await setUp()

      await assert.rejects(
        useCases.createImage('beach', aNewImageBody({ contentLength: MAX_UPLOAD_BYTES + 1 }), 'u'),
        {
          code: 'INVALID_INPUT',
          message: `contentLength must be an integer from 1 to ${MAX_UPLOAD_BYTES}`,
        },
      )

      assert.deepEqual(storage.issuedUploads(), [])
      assert.deepEqual(await images.listByGroupNewestFirst('beach', { limit: 20 }), { items: [] })
    })

    it('throws NotFoundError for a missing group and stores nothing', async () => {
      const { images, storage, useCases } = await setUp()

      await assert.rejects(
        useCases.createImage('nope', aNewImageBody(), 'u'),
        notFound('group nope does not exist'),
      )

      assert.deepEqual(await images.listByGroupNewestFirst('nope', { limit: 20 }), { items: [] })
      assert.deepEqual(storage.issuedUploads(), [])
    })

    it('rejects an invalid body and stores nothing', async () => {
      const { images, useCases } = await setUp()

      await assert.rejects(useCases.createImage('beach', aNewImageBody({ contentType: 'image/tiff' }), 'u'), {
        code: 'INVALID_INPUT',
      })
      await assert.rejects(
        useCases.createImage('beach', aNewImageBody({ groupId: 'x' }), 'u'),
        InvalidInputError,
      )

      assert.deepEqual(await images.listByGroupNewestFirst('beach', { limit: 20 }), { items: [] })
    })

    it('keeps both of two images created in the same millisecond in one group, at distinct times', async () => {
      const { useCases } = await setUp(new FixedClock(NOW))

      const first = await useCases.createImage('beach', aNewImageBody({ title: 'one' }), 'u')
      const second = await useCases.createImage('beach', aNewImageBody({ title: 'two' }), 'u')

      assert.equal(first.image.timestamp, '2026-03-01T10:00:00.000Z')
      assert.equal(second.image.timestamp, '2026-03-01T10:00:00.001Z')
      assert.notEqual(first.image.imageId, second.image.imageId)
      const listed = await useCases.listGroupImages('beach', { limit: 20 })
      assert.deepEqual(
        listed.items.map((image) => image.title),
        ['two', 'one'],
      )
    })

    it('does not shift the time of same-millisecond images in different groups', async () => {
      const { useCases } = await setUp(new FixedClock(NOW))

      const atBeach = await useCases.createImage('beach', aNewImageBody(), 'u')
      const inMountains = await useCases.createImage('mountains', aNewImageBody(), 'u')

      assert.equal(atBeach.image.timestamp, NOW)
      assert.equal(inMountains.image.timestamp, NOW)
    })

    it('gives up with ConflictError once five milliseconds in a row are taken', async () => {
      const { images, useCases } = await setUp(new FixedClock(NOW))
      for (let ms = 0; ms < 5; ms++) {
        await images.add(
          anImage({ groupId: 'beach', timestamp: new Date(Date.parse(NOW) + ms).toISOString() }),
        )
      }

      await assert.rejects(useCases.createImage('beach', aNewImageBody(), 'u'), ConflictError)
    })

    it('takes its image back and throws NotFoundError when the group is deleted meanwhile', async () => {
      const { images, storage, useCases } = await setUp(undefined, deletedOnceRead)

      await assert.rejects(
        useCases.createImage('beach', aNewImageBody(), 'u'),
        notFound('group beach does not exist'),
      )

      assert.equal(await images.getById('image-1'), undefined)
      assert.equal(await images.hasImagesInGroup('beach'), false)
      assert.deepEqual(storage.issuedUploads(), [])
    })
  })

  describe('listGroupImages', () => {
    it("pages through a group's images newest first, without another group's", async () => {
      const { useCases } = await setUp(new SteppingClock(NOW, { stepMs: 1000 }))
      for (const title of ['a', 'b', 'c']) await useCases.createImage('beach', aNewImageBody({ title }), 'u')
      await useCases.createImage('mountains', aNewImageBody({ title: 'elsewhere' }), 'u')

      const page1 = await useCases.listGroupImages('beach', pageRequestFrom({ limit: '2' }))
      const page2 = await useCases.listGroupImages(
        'beach',
        pageRequestFrom({ limit: '2', nextKey: page1.nextKey }),
      )

      assert.deepEqual(
        page1.items.map((image) => image.title),
        ['c', 'b'],
      )
      assert.deepEqual(
        page2.items.map((image) => image.title),
        ['a'],
      )
      assert.equal(page2.nextKey, undefined)
    })

    it('returns an empty page for an existing group without images', async () => {
      const { useCases } = await setUp()

      assert.deepEqual(await useCases.listGroupImages('beach', { limit: 20 }), { items: [] })
    })

    it('throws NotFoundError for a missing group', async () => {
      const { useCases } = await setUp()

      await assert.rejects(
        useCases.listGroupImages('nope', { limit: 20 }),
        notFound('group nope does not exist'),
      )
    })

    it("rejects another group's nextKey", async () => {
      const { useCases } = await setUp(new SteppingClock(NOW))
      for (const title of ['a', 'b']) await useCases.createImage('beach', aNewImageBody({ title }), 'u')
      const page = await useCases.listGroupImages('beach', { limit: 1 })
      assert.ok(page.nextKey)

      await assert.rejects(
        useCases.listGroupImages('mountains', { limit: 1, nextKey: page.nextKey }),
        InvalidInputError,
      )
    })
  })

  describe('getImage', () => {
    it('returns a stored image', async () => {
      const { useCases } = await setUp()
      const { image } = await useCases.createImage('beach', aNewImageBody(), 'u')

      assert.deepEqual(await useCases.getImage(image.imageId), image)
    })

    it('throws NotFoundError for an unknown image', async () => {
      const { useCases } = await setUp()

      await assert.rejects(useCases.getImage('nope'), notFound('image nope does not exist'))
    })
  })

  describe('deleteImage', () => {
    async function withStoredImage(userId = 'alice') {
      const context = await setUp()
      const { image } = await context.useCases.createImage('beach', aNewImageBody(), userId)
      context.storage.objects.set('image-1', Uint8Array.from([0xff, 0xd8]))
      await context.thumbnails.put('image-1.webp', Uint8Array.from([1]), 'image/webp')
      return { ...context, image }
    }

    it("deletes the caller's image: its record, its original and its thumbnail", async () => {
      const { storage, thumbnails, useCases, image } = await withStoredImage()
      const { image: other } = await useCases.createImage('beach', aNewImageBody(), 'alice')
      storage.objects.set(other.imageId, Uint8Array.from([1]))
      await thumbnails.put(`${other.imageId}.webp`, Uint8Array.from([1]), 'image/webp')

      const deletion = await useCases.deleteImage(image.imageId, 'alice')

      assert.deepEqual(deletion, { image, leftovers: [] })
      await assert.rejects(useCases.getImage(image.imageId), notFound('image image-1 does not exist'))
      assert.deepEqual((await useCases.listGroupImages('beach', { limit: 20 })).items, [other])
      assert.deepEqual([...storage.objects.keys()], [other.imageId])
      assert.deepEqual([...thumbnails.objects.keys()], [`${other.imageId}.webp`])
    })

    it('deletes an image that was never uploaded or never got a thumbnail', async () => {
      const { useCases } = await setUp()
      const { image } = await useCases.createImage('beach', aNewImageBody(), 'alice')

      assert.deepEqual(await useCases.deleteImage(image.imageId, 'alice'), { image, leftovers: [] })
    })

    it('throws NotFoundError for an unknown image, and for one deleted already', async () => {
      const { useCases, image } = await withStoredImage()
      await useCases.deleteImage(image.imageId, 'alice')

      for (const imageId of ['nope', image.imageId]) {
        await assert.rejects(
          useCases.deleteImage(imageId, 'alice'),
          notFound(`image ${imageId} does not exist`),
        )
      }
    })

    it("throws ForbiddenError for another user's image and keeps its record and objects", async () => {
      const { storage, thumbnails, useCases, image } = await withStoredImage('alice')

      await assert.rejects(useCases.deleteImage(image.imageId, 'bob'), {
        code: 'FORBIDDEN',
        message: 'only the creator of image image-1 may delete it',
      })

      assert.deepEqual(await useCases.getImage(image.imageId), image)
      assert.ok(storage.objects.has('image-1'))
      assert.ok(thumbnails.objects.has('image-1.webp'))
    })

    it('lets one of two concurrent deletes win; the other throws NotFoundError', async () => {
      const { useCases, image } = await withStoredImage()

      const outcomes = await Promise.allSettled([
        useCases.deleteImage(image.imageId, 'alice'),
        useCases.deleteImage(image.imageId, 'alice'),
      ])

      assert.deepEqual(
        outcomes.map((outcome) => outcome.status),
        ['fulfilled', 'rejected'],
      )
      assert.equal(outcomes[1]?.status === 'rejected' && outcomes[1].reason.code, 'NOT_FOUND')
    })

    it('still deletes the image when an object cannot be removed, and reports that object', async () => {
      const { images, storage, thumbnails, image } = await withStoredImage()
      const outage = new Error('S3 is unreachable')
      const useCases = imageUseCases({
        groups: new InMemoryGroupRepository(),
        images,
        storage: {
          uploadUrlFor: (key, upload) => storage.uploadUrlFor(key, upload),
          publicUrlFor: (key) => storage.publicUrlFor(key),
          remove: async () => {
            throw outage
          },
        },
        thumbnails,
        clock: new FixedClock(NOW),
        ids: new SequentialIdGenerator(),
        maxUploadBytes: MAX_UPLOAD_BYTES,
      })

      const deletion = await useCases.deleteImage(image.imageId, 'alice')

      assert.deepEqual(deletion.leftovers, [{ store: 'original', key: 'image-1', cause: outage }])
      assert.equal(await images.getById(image.imageId), undefined)
      assert.ok(storage.objects.has('image-1'))
      assert.equal(thumbnails.objects.has('image-1.webp'), false)
    })
  })
})
