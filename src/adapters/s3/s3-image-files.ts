import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3'
import type { StoredObject, ThumbnailStore, UploadedImages } from '#core/ports/image-files.ts'
import { cdnObjectUrl } from './cdn-object-url.ts'

/** The uploaded originals in the images bucket. */
export class S3UploadedImages implements UploadedImages {
  readonly #client: S3Client
  readonly #bucket: string

  constructor(options: { client: S3Client; bucket: string }) {
    this.#client = options.client
    this.#bucket = options.bucket
  }

  async describe(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }))
      return { key, size: head.ContentLength ?? 0, contentType: head.ContentType }
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return undefined
      throw error
    }
  }

  async read(key: string): Promise<Uint8Array> {
    const object = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }))
    if (object.Body === undefined) throw new Error(`s3://${this.#bucket}/${key} has no body`)
    return object.Body.transformToByteArray()
  }
}

/** Thumbnails in their own private bucket, read by browsers through its distribution (`cdnUrl`). */
export class S3ThumbnailStore implements ThumbnailStore {
  readonly #client: S3Client
  readonly #bucket: string
  readonly #cdnUrl: string

  constructor(options: { client: S3Client; bucket: string; cdnUrl: string }) {
    this.#client = options.client
    this.#bucket = options.bucket
    this.#cdnUrl = options.cdnUrl
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        CacheControl: 'public, max-age=31536000, immutable',
      }),
    )
  }

  publicUrlFor(key: string): string {
    return cdnObjectUrl(this.#cdnUrl, key)
  }

  async remove(key: string): Promise<void> {
    // S3 answers 204 whether or not the key existed: an image that never got a thumbnail is no error.
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }))
  }
}
