import type { Clock } from '../ports/clock.ts'
import type { GroupRepository } from '../ports/group-repository.ts'
import type { IdGenerator } from '../ports/id-generator.ts'
import type { ImageRepository } from '../ports/image-repository.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.ts'
import type { Page, PageRequest } from '../shared/pagination.ts'
import { type Group, parseNewGroup } from './group.ts'

export interface GroupUseCaseDeps {
  groups: GroupRepository
  /** Read to tell whether a group is empty before deleting it. */
  images: ImageRepository
  clock: Clock
  ids: IdGenerator
}

export interface GroupUseCases {
  /** Validates the body and stores a group owned by `userId`. */
  createGroup(body: unknown, userId: string): Promise<Group>
  listGroups(page: PageRequest): Promise<Page<Group>>
  /** Throws NotFoundError when there is no such group. */
  getGroup(groupId: string): Promise<Group>
  /**
   * Deletes an empty group of `userId`'s. Throws NotFoundError when there is no such group,
   * ForbiddenError when another user created it, ConflictError while it holds any image.
   */
  deleteGroup(groupId: string, userId: string): Promise<void>
}

export function groupUseCases({ groups, images, clock, ids }: GroupUseCaseDeps): GroupUseCases {
  async function requireGroup(groupId: string): Promise<Group> {
    const group = await groups.get(groupId)
    if (group === undefined) throw new NotFoundError(`group ${groupId} does not exist`)
    return group
  }

  const stillHasImages = (groupId: string) => new ConflictError(`group ${groupId} still has images`)

  return {
    async createGroup(body, userId) {
      const input = parseNewGroup(body)
      const group: Group = {
        id: ids.newId(),
        name: input.name,
        description: input.description,
        userId,
        timestamp: clock.now().toISOString(),
      }
      await groups.add(group)
      return group
    },

    listGroups: (page) => groups.listNewestFirst(page),

    getGroup: requireGroup,

    async deleteGroup(groupId, userId) {
      const group = await requireGroup(groupId)
      if (group.userId !== userId)
        throw new ForbiddenError(`only the creator of group ${groupId} may delete it`)
      if (await images.hasImagesInGroup(groupId)) throw stillHasImages(groupId)
      if (!(await groups.remove(groupId))) throw new NotFoundError(`group ${groupId} does not exist`)
      // Groups and images live in two tables, so no condition on this delete can say "no image refers to
      // the group", and an image may be stored between the check above and the delete (createImage read
      // the group just before it went). So both sides write first, then read the other side consistently:
      // here the group is deleted, then images are looked for again; createImage stores its image, then
      // looks the group up again. Of two racing calls at least one sees the other's write, and whoever
      // sees it undoes its own: here the group is put back as it was (absent for those milliseconds) and
      // the answer is the 409 it would have been a moment earlier. Should putting it back fail, the 500
      // is logged and the image is left in a group that no longer exists.
      if (await images.hasImagesInGroup(groupId)) {
        await groups.add(group)
        throw stillHasImages(groupId)
      }
    },
  }
}
