import type { Group } from '#core/groups/group.ts'
import type { GroupRepository } from '#core/ports/group-repository.ts'
import { ConflictError } from '#core/shared/errors.ts'
import type { Page, PageRequest } from '#core/shared/pagination.ts'
import { decodeCursor, encodeCursor } from '../shared/cursor.ts'

/**
 * GroupRepository in a Map, with the DynamoDB adapter's semantics: ConflictError on a taken id, newest
 * first (ties broken by id, as a DynamoDB index orders equal sort keys by the table key), nextKey only
 * when more groups follow. Stores and returns copies, as a database would.
 */
export class InMemoryGroupRepository implements GroupRepository {
  readonly #groups = new Map<string, Group>()

  async add(group: Group): Promise<void> {
    if (this.#groups.has(group.id)) throw new ConflictError(`group ${group.id} already exists`)
    this.#groups.set(group.id, structuredClone(group))
  }

  async get(groupId: string): Promise<Group | undefined> {
    const group = this.#groups.get(groupId)
    return group && structuredClone(group)
  }

  async remove(groupId: string): Promise<boolean> {
    return this.#groups.delete(groupId)
  }

  async listNewestFirst(page: PageRequest): Promise<Page<Group>> {
    const after = page.nextKey === undefined ? undefined : decodeCursor(page.nextKey, ['id', 'timestamp'])
    const sorted = [...this.#groups.values()].sort(newestFirst)
    const start = after === undefined ? 0 : countUpTo(sorted, after)
    const items = sorted.slice(start, start + page.limit).map((group) => structuredClone(group))
    const last = items.at(-1)
    if (last === undefined || start + items.length >= sorted.length) return { items }
    return { items, nextKey: encodeCursor({ id: last.id, timestamp: last.timestamp }) }
  }
}

function newestFirst(a: { id: string; timestamp: string }, b: { id: string; timestamp: string }): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? 1 : -1
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

/** How many groups sort at or before the cursor, i.e. where the next page starts. */
function countUpTo(sorted: Group[], cursor: { id: string; timestamp: string }): number {
  const index = sorted.findIndex((group) => newestFirst(group, cursor) > 0)
  return index === -1 ? sorted.length : index
}
