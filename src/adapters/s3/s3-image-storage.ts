import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { ImageStorage, UploadConstraints } from '#core/ports/image-storage.ts'
import { cdnObjectUrl } from './cdn-object-url.ts'

export interface S3ImageStorageOptions {
  client: S3Client
  bucket: string
  uploadUrlExpiresInSeconds: number
  /** Where browsers read the bucket's objects: its CloudFront distribution (the bucket is private). */
  cdnUrl: string
}

/** Images in a private S3 bucket: presigned SigV4 PUT URLs for uploads, its distribution's URL for reads. */
export class S3ImageStorage implements ImageStorage {
  readonly #options: S3ImageStorageOptions

  constructor(options: S3ImageStorageOptions) {
    this.#options = options
  }

  /**
   * The size limit is enforced by S3 itself through a signed Content-Length: a body of any other size
   * does not match the signature (SignatureDoesNotMatch) and is never stored. A presigned POST policy
   * with `content-length-range` would allow a range instead of one exact size, but it needs a
   * multipart/form-data POST: no XHR upload progress on a raw body, another client path, and a
   * second verifier in the local S3. A PUT keeps one upload path on AWS and locally.
   */
  uploadUrlFor(key: string, upload: UploadConstraints): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: this.#options.bucket,
      Key: key,
      ContentType: upload.contentType,
      ContentLength: upload.contentLength,
    })
    // Named explicitly rather than left to the presigner's defaults: content-type it leaves unsigned
    // unless told; signed, an upload of another type or another size is refused.
    const signed = upload.contentType === undefined ? ['content-length'] : ['content-length', 'content-type']
    return getSignedUrl(this.#options.client, command, {
      expiresIn: this.#options.uploadUrlExpiresInSeconds,
      signableHeaders: new Set(signed),
    })
  }

  publicUrlFor(key: string): string {
    return cdnObjectUrl(this.#options.cdnUrl, key)
  }

  async remove(key: string): Promise<void> {
    // S3 answers 204 whether or not the key existed, so a retry or a never-uploaded image is no error.
    await this.#options.client.send(new DeleteObjectCommand({ Bucket: this.#options.bucket, Key: key }))
  }
}
