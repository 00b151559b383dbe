import type { Clock } from '../ports/clock.ts'
import type { GroupRepository } from '../ports/group-repository.ts'
import type { IdGenerator } from '../ports/id-generator.ts'
import type { ImageRepository } from '../ports/image-repository.ts'
import type { ImageStorage } from '../ports/image-storage.ts'
import { ConflictError, NotFoundError } from '../shared/errors.ts'
import type { Page, PageRequest } from '../shared/pagination.ts'
import { type Image, parseNewImage } from './image.ts'

export interface ImageUseCaseDeps {
  groups: GroupRepository
  images: ImageRepository
  storage: ImageStorage
  clock: Clock
  ids: IdGenerator
}

export interface CreatedImage {
  image: Image
  uploadUrl: string
}

export interface ImageUseCases {
  /** Records a new image in an existing group and returns where to upload its bytes. */
  createImage(groupId: string, body: unknown, userId: string): Promise<CreatedImage>
  /** Throws NotFoundError when the group does not exist (an empty page means an empty group). */
  listGroupImages(groupId: string, page: PageRequest): Promise<Page<Image>>
  getImage(imageId: string): Promise<Image>
}

/**
 * Images are keyed by (groupId, timestamp), so two images created in the same millisecond in one group
 * would collide; the later one moves to the next free millisecond instead of overwriting the first.
 */
const MAX_TIMESTAMP_ATTEMPTS = 5

export function imageUseCases({ groups, images, storage, clock, ids }: ImageUseCaseDeps): ImageUseCases {
  async function requireGroup(groupId: string): Promise<void> {
    if ((await groups.get(groupId)) === undefined) {
      throw new NotFoundError(`group ${groupId} does not exist`)
    }
  }

  return {
    async createImage(groupId, body, userId) {
      const input = parseNewImage(body)
      await requireGroup(groupId)
      const imageId = ids.newId()
      const createdAt = clock.now().getTime()
      for (let attempt = 0; ; attempt++) {
        const image: Image = {
          groupId,
          imageId,
          title: input.title,
          description: input.description,
          userId,
          timestamp: new Date(createdAt + attempt).toISOString(),
          imageUrl: storage.publicUrlFor(imageId),
          status: 'pending',
        }
        if (input.contentType !== undefined) image.contentType = input.contentType
        try {
          await images.add(image)
          return { image, uploadUrl: await storage.uploadUrlFor(imageId, input.contentType) }
        } catch (error) {
          if (!(error instanceof ConflictError) || attempt + 1 >= MAX_TIMESTAMP_ATTEMPTS) throw error
        }
      }
    },

    async listGroupImages(groupId, page) {
      const [group, listed] = await Promise.all([
        groups.get(groupId),
        images.listByGroupNewestFirst(groupId, page),
      ])
      if (group === undefined) throw new NotFoundError(`group ${groupId} does not exist`)
      return listed
    },

    async getImage(imageId) {
      const image = await images.getById(imageId)
      if (image === undefined) throw new NotFoundError(`image ${imageId} does not exist`)
      return image
    },
  }
}
