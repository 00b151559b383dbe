import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

/**
 * A store of objects as a removal test sees it: the port's `remove`, plus the means to put an object
 * in and look for it, which the ports do not have (uploads and thumbnails are written elsewhere).
 */
export interface ObjectRemovalSubject {
  remove(key: string): Promise<void>
  seed(key: string, bytes: Uint8Array): Promise<void>
  has(key: string): Promise<boolean>
}

/** Gives each test a store with no objects, or with only keys no other test uses. */
export type ObjectRemovalSubjectFactory = () => ObjectRemovalSubject | Promise<ObjectRemovalSubject>

let made = 0
const aKey = (name: string) => `removal-${++made}-${name}`

/**
 * What removing objects promises, for ImageStorage (originals) and ThumbnailStore alike, whatever
 * holds the bytes. Call inside a `describe`.
 */
export function objectRemovalContract(makeSubject: ObjectRemovalSubjectFactory): void {
  describe('object removal contract', () => {
    it('removes the object under the key, and only it', async () => {
      const store = await makeSubject()
      const [removed, kept] = [aKey('photo'), aKey('photo.webp')]
      await store.seed(removed, Uint8Array.from([1, 2, 3]))
      await store.seed(kept, Uint8Array.from([4]))

      await store.remove(removed)

      assert.equal(await store.has(removed), false)
      assert.equal(await store.has(kept), true)
    })

    it('succeeds for a key that holds nothing, and when repeated', async () => {
      const store = await makeSubject()
      const key = aKey('photo')
      await store.seed(key, Uint8Array.from([1]))

      await store.remove(aKey('never-stored'))
      await store.remove(key)
      await store.remove(key)

      assert.equal(await store.has(key), false)
    })
  })
}
