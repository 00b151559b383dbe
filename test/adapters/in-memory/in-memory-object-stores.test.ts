import { describe } from 'node:test'
import { InMemoryThumbnailStore } from '#adapters/in-memory/in-memory-image-files.ts'
import { InMemoryImageStorage } from '#adapters/in-memory/in-memory-image-storage.ts'
import { objectRemovalContract } from '#test/contracts/object-removal.contract.ts'

describe('InMemoryImageStorage', () => {
  objectRemovalContract(() => {
    const storage = new InMemoryImageStorage()
    return {
      remove: (key) => storage.remove(key),
      seed: async (key, bytes) => {
        storage.objects.set(key, bytes)
      },
      has: async (key) => storage.objects.has(key),
    }
  })
})

describe('InMemoryThumbnailStore', () => {
  objectRemovalContract(() => {
    const thumbnails = new InMemoryThumbnailStore()
    return {
      remove: (key) => thumbnails.remove(key),
      seed: (key, bytes) => thumbnails.put(key, bytes, 'image/webp'),
      has: async (key) => thumbnails.objects.has(key),
    }
  })
})
