import type { GroupNotifications } from '../notifications/group-notifications.ts'
import type { ThumbnailRenderer, ThumbnailStore, UploadedImages } from '../ports/image-files.ts'
import type { ImageRepository } from '../ports/image-repository.ts'
import { IMAGE_CONTENT_TYPES, type Image, type ImageOutcome } from './image.ts'
import { thumbnailKeyOf } from './object-keys.ts'

export interface UploadProcessingDeps {
  images: ImageRepository
  uploads: UploadedImages
  thumbnails: ThumbnailStore
  renderer: ThumbnailRenderer
  notifications: GroupNotifications
  maxUploadBytes: number
  thumbnailWidth: number
}

/** What became of one uploaded object. */
export type UploadOutcome =
  | { kind: 'ready'; imageId: string }
  | { kind: 'failed'; imageId: string; reason: string }
  /** The object is not an image record's upload, or is gone: nothing to do. */
  | { kind: 'ignored'; reason: string }
  /** The image was settled by an earlier delivery of the same event. */
  | { kind: 'already-settled'; imageId: string }

export interface UploadProcessing {
  /** Checks the uploaded object and makes its thumbnail, or marks the image failed. Safe to repeat. */
  processUpload(objectKey: string): Promise<UploadOutcome>
}

export function uploadProcessing(deps: UploadProcessingDeps): UploadProcessing {
  async function settle(image: Image, outcome: ImageOutcome): Promise<UploadOutcome> {
    if (!(await deps.images.settle(image, outcome)))
      return { kind: 'already-settled', imageId: image.imageId }
    const about = {
      groupId: image.groupId,
      imageId: image.imageId,
      title: image.title,
      imageUrl: image.imageUrl,
    }
    if (outcome.status === 'ready') {
      await deps.notifications.notifyGroup({
        type: 'image.ready',
        ...about,
        thumbnailUrl: outcome.thumbnailUrl,
      })
      return { kind: 'ready', imageId: image.imageId }
    }
    await deps.notifications.notifyGroup({ type: 'image.failed', ...about, reason: outcome.reason })
    return { kind: 'failed', imageId: image.imageId, reason: outcome.reason }
  }

  /** Why the bytes cannot become an image of this record, or undefined when they can. */
  async function rejection(image: Image, bytes: Uint8Array): Promise<string | undefined> {
    const format = await deps.renderer.formatOf(bytes)
    if (format === undefined) return 'the upload is not a decodable image'
    const contentType = `image/${format}`
    if (!IMAGE_CONTENT_TYPES.some((allowed) => allowed === contentType)) {
      return `${contentType} is not an allowed type (${IMAGE_CONTENT_TYPES.join(', ')})`
    }
    if (image.contentType !== undefined && image.contentType !== contentType) {
      return `the upload is ${contentType}, not the ${image.contentType} the image was created for`
    }
    return undefined
  }

  return {
    async processUpload(objectKey) {
      const image = await deps.images.getById(objectKey)
      if (image === undefined) return { kind: 'ignored', reason: `no image has the key ${objectKey}` }
      if (image.status !== 'pending') return { kind: 'already-settled', imageId: image.imageId }
      const stored = await deps.uploads.describe(objectKey)
      if (stored === undefined) return { kind: 'ignored', reason: `${objectKey} is no longer stored` }
      if (stored.size > deps.maxUploadBytes) {
        return settle(image, {
          status: 'failed',
          reason: `the upload is ${stored.size} bytes, over the ${deps.maxUploadBytes}-byte limit`,
        })
      }
      const bytes = await deps.uploads.read(objectKey)
      const rejected = await rejection(image, bytes)
      if (rejected !== undefined) return settle(image, { status: 'failed', reason: rejected })
      const thumbnail = await deps.renderer.render(bytes, deps.thumbnailWidth)
      const thumbnailKey = thumbnailKeyOf(image.imageId)
      // Written before the record says ready, and under a key fixed by the image: a redelivery after a
      // crash here overwrites the same object instead of leaving a second one.
      await deps.thumbnails.put(thumbnailKey, thumbnail.bytes, thumbnail.contentType)
      return settle(image, { status: 'ready', thumbnailUrl: deps.thumbnails.publicUrlFor(thumbnailKey) })
    },
  }
}
