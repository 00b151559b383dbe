import type { ImageContentType } from '#core/images/image.ts'
import type { ImageStorage } from '#core/ports/image-storage.ts'

export interface IssuedUpload {
  key: string
  contentType: ImageContentType | undefined
}

/** ImageStorage that stores nothing: it makes recognisable URLs and remembers the uploads it allowed. */
export class InMemoryImageStorage implements ImageStorage {
  readonly #issued: IssuedUpload[] = []

  async uploadUrlFor(key: string, contentType: ImageContentType | undefined): Promise<string> {
    this.#issued.push({ key, contentType })
    const url = `memory://upload/${encodeURIComponent(key)}`
    return contentType === undefined ? url : `${url}?contentType=${encodeURIComponent(contentType)}`
  }

  publicUrlFor(key: string): string {
    return `memory://images/${encodeURIComponent(key)}`
  }

  /** The upload URLs handed out so far, oldest first. */
  issuedUploads(): IssuedUpload[] {
    return this.#issued.map((upload) => ({ ...upload }))
  }
}
