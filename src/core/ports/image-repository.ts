import type { Image, ImageOutcome } from '../images/image.ts'
import type { Page, PageRequest } from '../shared/pagination.ts'

/** Where image records live (the bytes are in ImageStorage). */
export interface ImageRepository {
  /** Stores a new image; throws ConflictError if the group already has an image at that timestamp. */
  add(image: Image): Promise<void>
  getById(imageId: string): Promise<Image | undefined>
  /**
   * Moves a pending image to ready or failed. Returns false, changing nothing, when the image is not
   * pending any more (a redelivered event): the first outcome stays.
   */
  settle(image: Pick<Image, 'groupId' | 'timestamp'>, outcome: ImageOutcome): Promise<boolean>
  /** Newest first; throws InvalidInputError for a nextKey this repository did not issue for that group. */
  listByGroupNewestFirst(groupId: string, page: PageRequest): Promise<Page<Image>>
  /**
   * Whether the group holds any image, read consistently: an image whose `add` has returned is seen.
   * (The listing may lag behind writes; this may not, because deleting a group depends on it.)
   */
  hasImagesInGroup(groupId: string): Promise<boolean>
  /**
   * Deletes this image's record, only if the record at its key is still this image; false, changing
   * nothing, when it is gone (a concurrent delete won).
   */
  remove(image: Pick<Image, 'groupId' | 'timestamp' | 'imageId'>): Promise<boolean>
}
