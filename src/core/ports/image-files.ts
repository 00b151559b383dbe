/** An uploaded original as stored. */
export interface StoredObject {
  key: string
  size: number
  contentType: string | undefined
}

/** Reads the originals clients uploaded. */
export interface UploadedImages {
  /** Metadata only; undefined when the object does not exist. */
  describe(key: string): Promise<StoredObject | undefined>
  read(key: string): Promise<Uint8Array>
}

/** Where thumbnails are written and served from. */
export interface ThumbnailStore {
  /** Overwrites: writing the same thumbnail twice leaves one. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  publicUrlFor(key: string): string
  /** Deletes the thumbnail; one that is not there (never rendered, or already deleted) is no error. */
  remove(key: string): Promise<void>
}

export interface Thumbnail {
  bytes: Uint8Array
  contentType: string
  width: number
  height: number
}

/** The image codec: checks what the bytes really are and renders a thumbnail. */
export interface ThumbnailRenderer {
  /** The real format of the bytes ('jpeg', 'png', 'webp', 'gif', ...), or undefined if not a decodable image. */
  formatOf(bytes: Uint8Array): Promise<string | undefined>
  render(bytes: Uint8Array, width: number): Promise<Thumbnail>
}
