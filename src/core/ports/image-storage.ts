import type { ImageContentType } from '../images/image.ts'

export interface UploadConstraints {
  contentType: ImageContentType | undefined
  /** The exact size in bytes the upload must have. */
  contentLength: number
}

/** Where image bytes live: clients upload straight to it and read from it by URL. */
export interface ImageStorage {
  /**
   * A URL the client PUTs the bytes to, valid for a short time, bound to this object key, to exactly
   * `contentLength` bytes (the storage itself refuses a body of any other size) and, when given, to
   * the content type.
   */
  uploadUrlFor(key: string, upload: UploadConstraints): Promise<string>
  /** The stable URL the stored bytes are served from. */
  publicUrlFor(key: string): string
  /** Deletes the object; an object that is not there is no error (as in S3), so retries are safe. */
  remove(key: string): Promise<void>
}
