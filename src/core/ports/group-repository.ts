import type { Group } from '../groups/group.ts'
import type { Page, PageRequest } from '../shared/pagination.ts'

/** Where groups live. */
export interface GroupRepository {
  /** Stores a new group; throws ConflictError if its id is taken. */
  add(group: Group): Promise<void>
  get(groupId: string): Promise<Group | undefined>
  /** Deletes the group; false, changing nothing, when there is no such group (any more). */
  remove(groupId: string): Promise<boolean>
  /** Newest first; throws InvalidInputError for a nextKey this repository did not issue. */
  listNewestFirst(page: PageRequest): Promise<Page<Group>>
}
