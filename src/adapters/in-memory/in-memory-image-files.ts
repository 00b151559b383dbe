import type { StoredObject, ThumbnailStore, UploadedImages } from '#core/ports/image-files.ts'

/** Uploaded originals in a Map. */
export class InMemoryUploadedImages implements UploadedImages {
  readonly #objects = new Map<string, { bytes: Uint8Array; contentType: string | undefined }>()

  store(key: string, bytes: Uint8Array, contentType?: string): void {
    this.#objects.set(key, { bytes: Uint8Array.from(bytes), contentType })
  }

  async describe(key: string): Promise<StoredObject | undefined> {
    const object = this.#objects.get(key)
    return object && { key, size: object.bytes.length, contentType: object.contentType }
  }

  async read(key: string): Promise<Uint8Array> {
    const object = this.#objects.get(key)
    if (object === undefined) throw new Error(`no object ${key}`)
    return Uint8Array.from(object.bytes)
  }
}

/** Thumbnails in a Map, served from `memory://thumbnails/<key>`. */
export class InMemoryThumbnailStore implements ThumbnailStore {
  readonly objects = new Map<string, { bytes: Uint8Array; contentType: string }>()
  puts = 0

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    this.puts++
    this.objects.set(key, { bytes: Uint8Array.from(bytes), contentType })
  }

  publicUrlFor(key: string): string {
    return `memory://thumbnails/${encodeURIComponent(key)}`
  }

  async remove(key: string): Promise<void> {
    this.objects.delete(key)
  }
}
