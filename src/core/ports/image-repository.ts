import type { Image } from '../images/image.ts'
import type { Page, PageRequest } from '../shared/pagination.ts'

/** Where image records live (the bytes are in ImageStorage). */
export interface ImageRepository {
  /** Stores a new image; throws ConflictError if the group already has an image at that timestamp. */
  add(image: Image): Promise<void>
  getById(imageId: string): Promise<Image | undefined>
  /** Newest first; throws InvalidInputError for a nextKey this repository did not issue for that group. */
  listByGroupNewestFirst(groupId: string, page: PageRequest): Promise<Page<Image>>
}
