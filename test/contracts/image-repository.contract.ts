import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ImageRepository } from '#core/ports/image-repository.ts'
import { ConflictError, InvalidInputError } from '#core/shared/errors.ts'
import type { Page } from '#core/shared/pagination.ts'
import { anImage } from '#test/builders/images.ts'

/** Gives each test an empty repository. */
export type ImageRepositoryFactory = () => ImageRepository | Promise<ImageRepository>

const at = (second: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, second)).toISOString()

/** What every ImageRepository promises, whatever stores the records. Call inside a `describe`. */
export function imageRepositoryContract(makeRepository: ImageRepositoryFactory): void {
  describe('ImageRepository contract', () => {
    it('finds a stored image by its id, field for field', async () => {
      const images = await makeRepository()
      const image = anImage({ title: 'Ärger 📷', description: '', contentType: 'image/webp' })

      await images.add(image)

      assert.deepEqual(await images.getById(image.imageId), image)
    })

    it('keeps an absent contentType absent', async () => {
      const images = await makeRepository()
      const { contentType: _, ...withoutType } = anImage()

      await images.add(withoutType)

      const read = await images.getById(withoutType.imageId)
      assert.deepEqual(read, withoutType)
      assert.equal(read && 'contentType' in read, false)
    })

    it('settles a pending image once: ready with its thumbnail, and a second outcome changes nothing', async () => {
      const images = await makeRepository()
      const image = anImage()
      await images.add(image)

      assert.equal(
        await images.settle(image, { status: 'ready', thumbnailUrl: 'https://thumbs/x.webp' }),
        true,
      )
      assert.equal(await images.settle(image, { status: 'failed', reason: 'late duplicate' }), false)

      assert.deepEqual(await images.getById(image.imageId), {
        ...image,
        status: 'ready',
        thumbnailUrl: 'https://thumbs/x.webp',
      })
    })

    it('settles a pending image as failed with the reason, and refuses images it does not hold', async () => {
      const images = await makeRepository()
      const image = anImage()
      await images.add(image)

      assert.equal(await images.settle(image, { status: 'failed', reason: 'not an image' }), true)
      assert.equal(
        await images.settle(
          { groupId: 'nope', timestamp: image.timestamp },
          { status: 'failed', reason: 'x' },
        ),
        false,
      )

      assert.deepEqual(await images.getById(image.imageId), {
        ...image,
        status: 'failed',
        failureReason: 'not an image',
      })
    })

    it('answers undefined for an id it never stored, including the empty one', async () => {
      const images = await makeRepository()
      await images.add(anImage())

      assert.equal(await images.getById('no-such-image'), undefined)
      assert.equal(await images.getById(''), undefined)
    })

    it('removes an image it holds, once: then it is neither found nor listed', async () => {
      const images = await makeRepository()
      const kept = anImage({ groupId: 'g', timestamp: at(1) })
      const removed = anImage({ groupId: 'g', timestamp: at(2) })
      for (const image of [kept, removed]) await images.add(image)

      assert.equal(await images.remove(removed), true)
      assert.equal(await images.remove(removed), false)

      assert.equal(await images.getById(removed.imageId), undefined)
      assert.deepEqual(await images.getById(kept.imageId), kept)
      assert.deepEqual(await images.listByGroupNewestFirst('g', { limit: 20 }), { items: [kept] })
    })

    it('removes nothing when another image holds the key, or the key is unknown or empty', async () => {
      const images = await makeRepository()
      const stored = anImage({ groupId: 'g', timestamp: at(1) })
      await images.add(stored)

      for (const key of [
        { groupId: 'g', timestamp: at(1), imageId: 'another-image' },
        { groupId: 'g', timestamp: at(2), imageId: stored.imageId },
        { groupId: 'other', timestamp: at(1), imageId: stored.imageId },
        { groupId: '', timestamp: '', imageId: stored.imageId },
      ]) {
        assert.equal(await images.remove(key), false, JSON.stringify(key))
      }

      assert.deepEqual(await images.getById(stored.imageId), stored)
    })

    it('tells whether a group has images, until its last one is removed', async () => {
      const images = await makeRepository()
      const first = anImage({ groupId: 'g', timestamp: at(1) })
      const second = anImage({ groupId: 'g', timestamp: at(2) })
      await images.add(anImage({ groupId: 'other' }))

      assert.equal(await images.hasImagesInGroup('g'), false)
      await images.add(first)
      await images.add(second)
      assert.equal(await images.hasImagesInGroup('g'), true)
      await images.remove(first)
      assert.equal(await images.hasImagesInGroup('g'), true)
      await images.remove(second)
      assert.equal(await images.hasImagesInGroup('g'), false)
      assert.equal(await images.hasImagesInGroup(''), false)
    })

    it('refuses a second image at the same timestamp in the same group, and keeps the first', async () => {
      const images = await makeRepository()
      const first = anImage({ groupId: 'g', timestamp: at(1) })
      await images.add(first)

      await assert.rejects(images.add(anImage({ groupId: 'g', timestamp: at(1) })), ConflictError)

      assert.deepEqual(await images.listByGroupNewestFirst('g', { limit: 20 }), { items: [first] })
    })

    it('allows the same timestamp in different groups', async () => {
      const images = await makeRepository()
      const inA = anImage({ groupId: 'a', timestamp: at(1) })
      const inB = anImage({ groupId: 'b', timestamp: at(1) })

      await images.add(inA)
      await images.add(inB)

      assert.deepEqual(await images.getById(inB.imageId), inB)
    })

    it("lists one group's images newest first and nothing of other groups", async () => {
      const images = await makeRepository()
      const older = anImage({ groupId: 'g', timestamp: at(1) })
      const newer = anImage({ groupId: 'g', timestamp: at(3) })
      const elsewhere = anImage({ groupId: 'other', timestamp: at(2) })
      for (const image of [newer, elsewhere, older]) await images.add(image)

      assert.deepEqual(await images.listByGroupNewestFirst('g', { limit: 20 }), { items: [newer, older] })
      assert.deepEqual(await images.listByGroupNewestFirst('empty', { limit: 20 }), { items: [] })
    })

    it('pages through with nextKey and gives no nextKey on the last page', async () => {
      const images = await makeRepository()
      const added = [1, 2, 3, 4, 5].map((second) => anImage({ groupId: 'g', timestamp: at(second) }))
      for (const image of added) await images.add(image)
      const [i1, i2, i3, i4, i5] = added

      const first = await images.listByGroupNewestFirst('g', { limit: 2 })
      const second = await images.listByGroupNewestFirst('g', { limit: 2, nextKey: requireNextKey(first) })
      const third = await images.listByGroupNewestFirst('g', { limit: 2, nextKey: requireNextKey(second) })

      assert.deepEqual(first.items, [i5, i4])
      assert.deepEqual(second.items, [i3, i2])
      assert.deepEqual(third, { items: [i1] })
    })

    it('gives no nextKey when the last page is exactly full', async () => {
      const images = await makeRepository()
      for (const second of [1, 2, 3, 4]) await images.add(anImage({ groupId: 'g', timestamp: at(second) }))

      const first = await images.listByGroupNewestFirst('g', { limit: 2 })
      const second = await images.listByGroupNewestFirst('g', { limit: 2, nextKey: requireNextKey(first) })

      assert.equal(second.items.length, 2)
      assert.equal(second.nextKey, undefined)
    })

    it("rejects another group's nextKey", async () => {
      const images = await makeRepository()
      for (const second of [1, 2]) {
        await images.add(anImage({ groupId: 'a', timestamp: at(second) }))
        await images.add(anImage({ groupId: 'b', timestamp: at(second) }))
      }
      const pageOfA = await images.listByGroupNewestFirst('a', { limit: 1 })

      await assert.rejects(
        images.listByGroupNewestFirst('b', { limit: 1, nextKey: requireNextKey(pageOfA) }),
        InvalidInputError,
      )
    })

    it('rejects a nextKey it did not issue', async () => {
      const images = await makeRepository()
      await images.add(anImage({ groupId: 'g' }))
      const forged = Buffer.from(JSON.stringify({ somewhere: 'else' })).toString('base64url')

      for (const nextKey of ['not-a-key', forged, 'e30', '%%%']) {
        await assert.rejects(
          images.listByGroupNewestFirst('g', { limit: 20, nextKey }),
          InvalidInputError,
          nextKey,
        )
      }
    })
  })
}

function requireNextKey(page: Page<unknown>): string {
  assert.ok(page.nextKey, 'expected a nextKey')
  return page.nextKey
}
