import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import type { Group } from '#core/groups/group.ts'
import type { GroupRepository } from '#core/ports/group-repository.ts'
import { ConflictError, InvalidInputError } from '#core/shared/errors.ts'
import type { Page, PageRequest } from '#core/shared/pagination.ts'
import { decodeCursor, encodeCursor, isIsoTimestamp } from '../shared/cursor.ts'
import { type Item, isConditionalCheckFailed, isPossibleKeyValue, stringField } from './item-fields.ts'
import { queryNewestFirst } from './query-page.ts'

export interface DynamoDbGroupRepositoryOptions {
  client: DynamoDBDocumentClient
  tableName: string
  /** GSI with `kind` (HASH, always 'group') and `timestamp` (RANGE): all groups by creation time. */
  byTimeIndexName: string
}

/** Every group item carries the same `kind`, the partition of the by-time index. */
const GROUP_KIND = 'group'
const CURSOR_ATTRIBUTES = ['id', 'kind', 'timestamp'] as const

/** Groups in a table keyed by `id`, listed through a by-time GSI. */
export class DynamoDbGroupRepository implements GroupRepository {
  readonly #client: DynamoDBDocumentClient
  readonly #tableName: string
  readonly #byTimeIndexName: string

  constructor(options: DynamoDbGroupRepositoryOptions) {
    this.#client = options.client
    this.#tableName = options.tableName
    this.#byTimeIndexName = options.byTimeIndexName
  }

  async add(group: Group): Promise<void> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: groupToItem(group),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      )
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new ConflictError(`group ${group.id} already exists`, { cause: error })
      }
      throw error
    }
  }

  async get(groupId: string): Promise<Group | undefined> {
    if (!isPossibleKeyValue(groupId)) return undefined
    const { Item: item } = await this.#client.send(
      // Consistent, so that a group is found right after it was created (an image added to it at once).
      new GetCommand({ TableName: this.#tableName, Key: { id: groupId }, ConsistentRead: true }),
    )
    return item && groupFromItem(item, this.#tableName)
  }

  async remove(groupId: string): Promise<boolean> {
    if (!isPossibleKeyValue(groupId)) return false
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: { id: groupId },
          // Without it a delete of a missing item succeeds, and the caller could not tell it did nothing.
          ConditionExpression: 'attribute_exists(id)',
        }),
      )
      return true
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false
      throw error
    }
  }

  async listNewestFirst(page: PageRequest): Promise<Page<Group>> {
    const startKey = page.nextKey === undefined ? undefined : groupCursorKey(page.nextKey)
    const { items, more } = await queryNewestFirst(
      this.#client,
      {
        TableName: this.#tableName,
        IndexName: this.#byTimeIndexName,
        KeyConditionExpression: '#kind = :kind',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':kind': GROUP_KIND },
      },
      page.limit,
      startKey,
    )
    const groups = items.map((item) => groupFromItem(item, this.#tableName))
    const last = groups.at(-1)
    if (!more || last === undefined) return { items: groups }
    return {
      items: groups,
      nextKey: encodeCursor({ id: last.id, kind: GROUP_KIND, timestamp: last.timestamp }),
    }
  }
}

function groupToItem(group: Group): Item {
  return {
    id: group.id,
    kind: GROUP_KIND,
    name: group.name,
    description: group.description,
    userId: group.userId,
    timestamp: group.timestamp,
  }
}

function groupFromItem(item: Item, tableName: string): Group {
  const name = `group item ${JSON.stringify(item.id)} in ${tableName}`
  return {
    id: stringField(item, 'id', name),
    name: stringField(item, 'name', name),
    description: stringField(item, 'description', name),
    userId: stringField(item, 'userId', name),
    timestamp: stringField(item, 'timestamp', name),
  }
}

function groupCursorKey(nextKey: string): Item {
  const key = decodeCursor(nextKey, CURSOR_ATTRIBUTES)
  if (key.kind !== GROUP_KIND || !isIsoTimestamp(key.timestamp)) {
    throw new InvalidInputError('nextKey is not a key returned by this listing')
  }
  return key
}
