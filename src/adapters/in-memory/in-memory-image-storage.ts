import type { ImageContentType } from '#core/images/image.ts'
import type { ImageStorage } from '#core/ports/image-storage.ts'

export interface IssuedUpload {
  key: string
  contentType: ImageContentType | undefined
}

/**
 * ImageStorage in memory: it makes recognisable URLs, remembers the uploads it allowed, and holds the
 * objects a test puts in `objects` (as if uploaded) until they are removed.
 */
export class InMemoryImageStorage implements ImageStorage {
  readonly objects = new Map<string, Uint8Array>()
  readonly #issued: IssuedUpload[] = []

  async uploadUrlFor(key: string, contentType: ImageContentType | undefined): Promise<string> {
    this.#issued.push({ key, contentType })
    const url = `memory://upload/${encodeURIComponent(key)}`
    return contentType === undefined ? url : `${url}?contentType=${encodeURIComponent(contentType)}`
  }

  publicUrlFor(key: string): string {
    return `memory://images/${encodeURIComponent(key)}`
  }

  async remove(key: string): Promise<void> {
    this.objects.delete(key)
  }

  /** The upload URLs handed out so far, oldest first. */
  issuedUploads(): IssuedUpload[] {
    return this.#issued.map((upload) => ({ ...upload }))
  }
}
