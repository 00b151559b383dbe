import type { ImageContentType } from '#core/images/image.ts'
import type { ImageStorage, UploadConstraints } from '#core/ports/image-storage.ts'

export interface IssuedUpload {
  key: string
  contentType: ImageContentType | undefined
  contentLength: number
}

/**
 * ImageStorage in memory: it makes recognisable URLs, remembers the uploads it allowed, and holds the
 * objects a test puts in `objects` (as if uploaded) until they are removed.
 */
export class InMemoryImageStorage implements ImageStorage {
  readonly objects = new Map<string, Uint8Array>()
  readonly #issued: IssuedUpload[] = []

  async uploadUrlFor(key: string, { contentType, contentLength }: UploadConstraints): Promise<string> {
    this.#issued.push({ key, contentType, contentLength })
    const bound = new URLSearchParams(contentType === undefined ? {} : { contentType })
    bound.set('contentLength', String(contentLength))
    return `memory://upload/${encodeURIComponent(key)}?${bound}`
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
