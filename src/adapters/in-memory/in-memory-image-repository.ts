import type { Image, ImageOutcome } from '#core/images/image.ts'
import type { ImageRepository } from '#core/ports/image-repository.ts'
import { ConflictError, InvalidInputError } from '#core/shared/errors.ts'
import type { Page, PageRequest } from '#core/shared/pagination.ts'
import { decodeCursor, encodeCursor } from '../shared/cursor.ts'

/**
 * ImageRepository in Maps, with the DynamoDB adapter's semantics: keyed by (groupId, timestamp) so a
 * second image at the same millisecond in a group is a ConflictError; newest first; a nextKey is only
 * valid for the group it was issued for. Stores and returns copies.
 */
export class InMemoryImageRepository implements ImageRepository {
  /** groupId -> timestamp -> image */
  readonly #groups = new Map<string, Map<string, Image>>()

  async add(image: Image): Promise<void> {
    const group = this.#groups.get(image.groupId) ?? new Map<string, Image>()
    if (group.has(image.timestamp)) {
      throw new ConflictError(`group ${image.groupId} already has an image at ${image.timestamp}`)
    }
    group.set(image.timestamp, structuredClone(image))
    this.#groups.set(image.groupId, group)
  }

  async getById(imageId: string): Promise<Image | undefined> {
    for (const group of this.#groups.values()) {
      for (const image of group.values()) {
        if (image.imageId === imageId) return structuredClone(image)
      }
    }
    return undefined
  }

  async settle(key: Pick<Image, 'groupId' | 'timestamp'>, outcome: ImageOutcome): Promise<boolean> {
    const image = this.#groups.get(key.groupId)?.get(key.timestamp)
    if (image === undefined || image.status !== 'pending') return false
    image.status = outcome.status
    if (outcome.status === 'ready') image.thumbnailUrl = outcome.thumbnailUrl
    else image.failureReason = outcome.reason
    return true
  }

  async hasImagesInGroup(groupId: string): Promise<boolean> {
    return (this.#groups.get(groupId)?.size ?? 0) > 0
  }

  async remove(key: Pick<Image, 'groupId' | 'timestamp' | 'imageId'>): Promise<boolean> {
    const group = this.#groups.get(key.groupId)
    if (group?.get(key.timestamp)?.imageId !== key.imageId) return false
    return group.delete(key.timestamp)
  }

  async listByGroupNewestFirst(groupId: string, page: PageRequest): Promise<Page<Image>> {
    let after: string | undefined
    if (page.nextKey !== undefined) {
      const cursor = decodeCursor(page.nextKey, ['groupId', 'timestamp'])
      if (cursor.groupId !== groupId)
        throw new InvalidInputError('nextKey is not a key returned by this listing')
      after = cursor.timestamp
    }
    const sorted = [...(this.#groups.get(groupId)?.values() ?? [])].sort((a, b) =>
      a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0,
    )
    const start = after === undefined ? 0 : sorted.filter((image) => image.timestamp >= after).length
    const items = sorted.slice(start, start + page.limit).map((image) => structuredClone(image))
    const last = items.at(-1)
    if (last === undefined || start + items.length >= sorted.length) return { items }
    return { items, nextKey: encodeCursor({ groupId, timestamp: last.timestamp }) }
  }
}
