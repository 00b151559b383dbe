import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { ImageContentType } from '#core/images/image.ts'
import type { ImageStorage } from '#core/ports/image-storage.ts'
import { publicObjectUrl } from './public-object-url.ts'

export interface S3ImageStorageOptions {
  client: S3Client
  bucket: string
  region: string
  uploadUrlExpiresInSeconds: number
  /** Set when the bucket is served by an endpoint other than AWS's (the local cloud). */
  endpoint: string | undefined
}

/** Images in an S3 bucket: presigned SigV4 PUT URLs for uploads, the bucket's URL for reads. */
export class S3ImageStorage implements ImageStorage {
  readonly #options: S3ImageStorageOptions

  constructor(options: S3ImageStorageOptions) {
    this.#options = options
  }

  uploadUrlFor(key: string, contentType: ImageContentType | undefined): Promise<string> {
    const command = new PutObjectCommand({ Bucket: this.#options.bucket, Key: key, ContentType: contentType })
    return getSignedUrl(this.#options.client, command, {
      expiresIn: this.#options.uploadUrlExpiresInSeconds,
      // The presigner leaves content-type unsigned unless told; signed, an upload of another type is refused.
      ...(contentType === undefined ? {} : { signableHeaders: new Set(['content-type']) }),
    })
  }

  publicUrlFor(key: string): string {
    return publicObjectUrl(this.#options, key)
  }

  async remove(key: string): Promise<void> {
    // S3 answers 204 whether or not the key existed, so a retry or a never-uploaded image is no error.
    await this.#options.client.send(new DeleteObjectCommand({ Bucket: this.#options.bucket, Key: key }))
  }
}
