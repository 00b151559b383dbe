import type { Clock } from '../ports/clock.ts'
import type { GroupRepository } from '../ports/group-repository.ts'
import type { IdGenerator } from '../ports/id-generator.ts'
import type { ThumbnailStore } from '../ports/image-files.ts'
import type { ImageRepository } from '../ports/image-repository.ts'
import type { ImageStorage } from '../ports/image-storage.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.ts'
import type { Page, PageRequest } from '../shared/pagination.ts'
import { type Image, parseNewImage } from './image.ts'
import { originalKeyOf, thumbnailKeyOf } from './object-keys.ts'

export interface ImageUseCaseDeps {
  groups: GroupRepository
  images: ImageRepository
  storage: ImageStorage
  /** Only deleted from here; written by the upload processing. */
  thumbnails: ThumbnailStore
  clock: Clock
  ids: IdGenerator
  /** The largest upload a new image may announce, in bytes; its upload URL is bound to the size. */
  maxUploadBytes: number
}

/** Where a request comes from, for the records it creates. */
export interface RequestOrigin {
  /** See Image.correlationId. */
  correlationId?: string
}

export interface CreatedImage {
  image: Image
  uploadUrl: string
}

/** An object a deletion could not remove: nothing in the API points to it any more. */
export interface LeftoverObject {
  store: 'original' | 'thumbnail'
  key: string
  cause: unknown
}

export interface ImageDeletion {
  image: Image
  /** Empty unless removing an object failed; the image is deleted all the same (see deleteImage). */
  leftovers: LeftoverObject[]
}

export interface ImageUseCases {
  /** Records a new image in an existing group and returns where to upload its bytes. */
  createImage(groupId: string, body: unknown, userId: string, origin?: RequestOrigin): Promise<CreatedImage>
  /** Throws NotFoundError when the group does not exist (an empty page means an empty group). */
  listGroupImages(groupId: string, page: PageRequest): Promise<Page<Image>>
  getImage(imageId: string): Promise<Image>
  /**
   * Deletes an image `userId` created: its record, then its original and its thumbnail. Throws
   * NotFoundError when there is no such image, ForbiddenError when another user created it.
   */
  deleteImage(imageId: string, userId: string): Promise<ImageDeletion>
}

/**
 * Images are keyed by (groupId, timestamp), so two images created in the same millisecond in one group
 * would collide; the later one moves to the next free millisecond instead of overwriting the first.
 */
const MAX_TIMESTAMP_ATTEMPTS = 5

export function imageUseCases({
  groups,
  images,
  storage,
  thumbnails,
  clock,
  ids,
  maxUploadBytes,
}: ImageUseCaseDeps): ImageUseCases {
  const groupNotFound = (groupId: string) => new NotFoundError(`group ${groupId} does not exist`)

  async function requireGroup(groupId: string): Promise<void> {
    if ((await groups.get(groupId)) === undefined) throw groupNotFound(groupId)
  }

  async function requireImage(imageId: string): Promise<Image> {
    const image = await images.getById(imageId)
    if (image === undefined) throw new NotFoundError(`image ${imageId} does not exist`)
    return image
  }

  /** Stores the image at the clock time, or the next free millisecond of its group. */
  async function addAtFreeTimestamp(image: Image, createdAt: number): Promise<Image> {
    for (let attempt = 0; ; attempt++) {
      const placed: Image = { ...image, timestamp: new Date(createdAt + attempt).toISOString() }
      try {
        await images.add(placed)
        return placed
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt + 1 >= MAX_TIMESTAMP_ATTEMPTS) throw error
      }
    }
  }

  async function removeObject(
    store: LeftoverObject['store'],
    key: string,
    remove: (key: string) => Promise<void>,
  ): Promise<LeftoverObject | undefined> {
    try {
      await remove(key)
      return undefined
    } catch (cause) {
      return { store, key, cause }
    }
  }

  return {
    async createImage(groupId, body, userId, origin = {}) {
      const input = parseNewImage(body, { maxUploadBytes })
      await requireGroup(groupId)
      const imageId = ids.newId()
      const draft: Image = {
        groupId,
        imageId,
        title: input.title,
        description: input.description,
        userId,
        timestamp: '',
        imageUrl: storage.publicUrlFor(originalKeyOf(imageId)),
        status: 'pending',
      }
      if (input.contentType !== undefined) draft.contentType = input.contentType
      if (origin.correlationId !== undefined) draft.correlationId = origin.correlationId
      const image = await addAtFreeTimestamp(draft, clock.now().getTime())
      // The other half of deleteGroup's race check: the group may have been deleted since it was read
      // above. Looked up again after the image is stored, so that either this call or the deletion sees
      // the other; if the group is gone, the image goes too, as if it had never been created.
      if ((await groups.get(groupId)) === undefined) {
        await images.remove(image)
        throw groupNotFound(groupId)
      }
      const uploadUrl = await storage.uploadUrlFor(originalKeyOf(imageId), {
        contentType: input.contentType,
        contentLength: input.contentLength,
      })
      return { image, uploadUrl }
    },

    async listGroupImages(groupId, page) {
      const [group, listed] = await Promise.all([
        groups.get(groupId),
        images.listByGroupNewestFirst(groupId, page),
      ])
      if (group === undefined) throw groupNotFound(groupId)
      return listed
    },

    getImage: requireImage,

    async deleteImage(imageId, userId) {
      const image = await requireImage(imageId)
      if (image.userId !== userId)
        throw new ForbiddenError(`only the creator of image ${imageId} may delete it`)
      // The record goes first. While it exists the image is listed, found and searchable, so deleting
      // the bytes first would show, for a moment or for good if the record's delete then failed, an
      // image whose URLs answer 404. Record first, a failure leaves at worst objects nothing points to
      // (reported as leftovers for the logs), never a visible image without bytes. The delete is
      // conditional, so of two concurrent deletes one wins and the other answers 404.
      if (!(await images.remove(image))) throw new NotFoundError(`image ${imageId} does not exist`)
      // Removing an object that is not there succeeds (a thumbnail never rendered, a retry), and each
      // is tried whatever became of the other. Two leftovers remain possible and are not cleaned here:
      // an upload through a presigned URL still valid (300 s) after this, which the upload processing
      // then ignores, and a thumbnail a processing already under way writes after this.
      const removals = await Promise.all([
        removeObject('original', originalKeyOf(imageId), (key) => storage.remove(key)),
        removeObject('thumbnail', thumbnailKeyOf(imageId), (key) => thumbnails.remove(key)),
      ])
      return { image, leftovers: removals.filter((leftover) => leftover !== undefined) }
    },
  }
}
