import type { Clock } from '../ports/clock.ts'
import type { GroupRepository } from '../ports/group-repository.ts'
import type { IdGenerator } from '../ports/id-generator.ts'
import { NotFoundError } from '../shared/errors.ts'
import type { Page, PageRequest } from '../shared/pagination.ts'
import { type Group, parseNewGroup } from './group.ts'

export interface GroupUseCaseDeps {
  groups: GroupRepository
  clock: Clock
  ids: IdGenerator
}

export interface GroupUseCases {
  /** Validates the body and stores a group owned by `userId`. */
  createGroup(body: unknown, userId: string): Promise<Group>
  listGroups(page: PageRequest): Promise<Page<Group>>
  /** Throws NotFoundError when there is no such group. */
  getGroup(groupId: string): Promise<Group>
}

export function groupUseCases({ groups, clock, ids }: GroupUseCaseDeps): GroupUseCases {
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

    async getGroup(groupId) {
      const group = await groups.get(groupId)
      if (group === undefined) throw new NotFoundError(`group ${groupId} does not exist`)
      return group
    },
  }
}
