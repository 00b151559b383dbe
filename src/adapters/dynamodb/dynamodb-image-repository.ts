import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import {
  IMAGE_CONTENT_TYPES,
  IMAGE_STATUSES,
  type Image,
  type ImageContentType,
  type ImageOutcome,
  type ImageStatus,
} from '#core/images/image.ts'
import type { ImageRepository } from '#core/ports/image-repository.ts'
import { ConflictError, InvalidInputError } from '#core/shared/errors.ts'
import type { Page, PageRequest } from '#core/shared/pagination.ts'
import { decodeCursor, encodeCursor, isIsoTimestamp } from '../shared/cursor.ts'
import { type Item, isConditionalCheckFailed, isPossibleKeyValue, stringField } from './item-fields.ts'
import { queryNewestFirst } from './query-page.ts'

export interface DynamoDbImageRepositoryOptions {
  client: DynamoDBDocumentClient
  /** Keyed by `groupId` (HASH) and `timestamp` (RANGE). */
  tableName: string
  /** GSI on `imageId` projecting ALL attributes. */
  imageIdIndexName: string
}

const CURSOR_ATTRIBUTES = ['groupId', 'timestamp'] as const

/**
 * Every write of an image item sets `revision` one higher (1 when created). The search index is built
 * from the table's stream and keeps the highest revision it saw per image, so a replayed or late
 * stream record of an older state cannot overwrite a newer one. Any writer of this table must bump it;
 * a delete need not: the stream's REMOVE record carries the last revision, and the index ranks the
 * removal above it.
 */
const REVISION_BUMP = '#revision = if_not_exists(#revision, :zero) + :one'

/** Image records keyed by (groupId, timestamp), found by id through a GSI. */
export class DynamoDbImageRepository implements ImageRepository {
  readonly #client: DynamoDBDocumentClient
  readonly #tableName: string
  readonly #imageIdIndexName: string

  constructor(options: DynamoDbImageRepositoryOptions) {
    this.#client = options.client
    this.#tableName = options.tableName
    this.#imageIdIndexName = options.imageIdIndexName
  }

  async add(image: Image): Promise<void> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: imageToItem(image),
          // With the full key given, this fails exactly when that (groupId, timestamp) is taken.
          ConditionExpression: 'attribute_not_exists(groupId)',
        }),
      )
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new ConflictError(`group ${image.groupId} already has an image at ${image.timestamp}`, {
          cause: error,
        })
      }
      throw error
    }
  }

  async getById(imageId: string): Promise<Image | undefined> {
    if (!isPossibleKeyValue(imageId)) return undefined
    const { Items: items } = await this.#client.send(
      new QueryCommand({
        TableName: this.#tableName,
        IndexName: this.#imageIdIndexName,
        KeyConditionExpression: 'imageId = :imageId',
        ExpressionAttributeValues: { ':imageId': imageId },
        Limit: 1,
      }),
    )
    const item = items?.[0]
    return item && imageFromItem(item, this.#tableName)
  }

  async settle(key: Pick<Image, 'groupId' | 'timestamp'>, outcome: ImageOutcome): Promise<boolean> {
    const detail =
      outcome.status === 'ready'
        ? { name: 'thumbnailUrl', value: outcome.thumbnailUrl }
        : { name: 'failureReason', value: outcome.reason }
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { groupId: key.groupId, timestamp: key.timestamp },
          // Only a pending image moves: a redelivered event, or a late second one, changes nothing.
          ConditionExpression: 'attribute_exists(groupId) AND #status = :pending',
          UpdateExpression: `SET #status = :status, #detail = :detail, ${REVISION_BUMP}`,
          ExpressionAttributeNames: { '#status': 'status', '#detail': detail.name, '#revision': 'revision' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':status': outcome.status,
            ':detail': detail.value,
            ':zero': 0,
            ':one': 1,
          },
        }),
      )
      return true
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false
      throw error
    }
  }

  async hasImagesInGroup(groupId: string): Promise<boolean> {
    if (!isPossibleKeyValue(groupId)) return false
    const { Items: items } = await this.#client.send(
      new QueryCommand({
        TableName: this.#tableName,
        KeyConditionExpression: 'groupId = :groupId',
        ExpressionAttributeValues: { ':groupId': groupId },
        ProjectionExpression: 'groupId',
        Limit: 1,
        // On the table, not an index, so that it can be consistent: see ImageRepository.
        ConsistentRead: true,
      }),
    )
    return (items?.length ?? 0) > 0
  }

  async remove(image: Pick<Image, 'groupId' | 'timestamp' | 'imageId'>): Promise<boolean> {
    if (!isPossibleKeyValue(image.groupId) || !isPossibleKeyValue(image.timestamp)) return false
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: { groupId: image.groupId, timestamp: image.timestamp },
          // Fails on a missing item too: a second delete reports that it did nothing.
          ConditionExpression: 'imageId = :imageId',
          ExpressionAttributeValues: { ':imageId': image.imageId },
        }),
      )
      return true
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false
      throw error
    }
  }

  async listByGroupNewestFirst(groupId: string, page: PageRequest): Promise<Page<Image>> {
    const startKey = page.nextKey === undefined ? undefined : imageCursorKey(page.nextKey, groupId)
    if (!isPossibleKeyValue(groupId)) return { items: [] }
    const { items, more } = await queryNewestFirst(
      this.#client,
      {
        TableName: this.#tableName,
        KeyConditionExpression: 'groupId = :groupId',
        ExpressionAttributeValues: { ':groupId': groupId },
      },
      page.limit,
      startKey,
    )
    const images = items.map((item) => imageFromItem(item, this.#tableName))
    const last = images.at(-1)
    if (!more || last === undefined) return { items: images }
    return { items: images, nextKey: encodeCursor({ groupId, timestamp: last.timestamp }) }
  }
}

function imageToItem(image: Image): Item {
  const item: Item = {
    groupId: image.groupId,
    timestamp: image.timestamp,
    imageId: image.imageId,
    title: image.title,
    description: image.description,
    userId: image.userId,
    imageUrl: image.imageUrl,
    status: image.status,
    revision: 1,
  }
  if (image.contentType !== undefined) item.contentType = image.contentType
  if (image.thumbnailUrl !== undefined) item.thumbnailUrl = image.thumbnailUrl
  if (image.failureReason !== undefined) item.failureReason = image.failureReason
  if (image.correlationId !== undefined) item.correlationId = image.correlationId
  return item
}

/** The item's revision (see REVISION_BUMP); items written before revisions existed count as 0. */
export function revisionOfItem(item: Item, itemName: string): number {
  const revision = item.revision ?? 0
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    throw new Error(`${itemName} has an invalid revision ${JSON.stringify(item.revision)}`)
  }
  return revision
}

export function imageFromItem(item: Item, tableName: string): Image {
  const name = `image item ${JSON.stringify(item.imageId)} in ${tableName}`
  const image: Image = {
    groupId: stringField(item, 'groupId', name),
    imageId: stringField(item, 'imageId', name),
    title: stringField(item, 'title', name),
    description: stringField(item, 'description', name),
    userId: stringField(item, 'userId', name),
    timestamp: stringField(item, 'timestamp', name),
    imageUrl: stringField(item, 'imageUrl', name),
    status: statusOf(item.status, name),
  }
  if (item.contentType !== undefined) image.contentType = contentTypeOf(item.contentType, name)
  if (item.thumbnailUrl !== undefined) image.thumbnailUrl = stringField(item, 'thumbnailUrl', name)
  if (item.failureReason !== undefined) image.failureReason = stringField(item, 'failureReason', name)
  if (item.correlationId !== undefined) image.correlationId = stringField(item, 'correlationId', name)
  return image
}

/** Items written before statuses existed are read as pending. */
function statusOf(value: unknown, itemName: string): ImageStatus {
  if (value === undefined) return 'pending'
  const known = IMAGE_STATUSES.find((status) => status === value)
  if (known === undefined) throw new Error(`${itemName} has an unknown status ${JSON.stringify(value)}`)
  return known
}

function contentTypeOf(value: unknown, itemName: string): ImageContentType {
  const known = IMAGE_CONTENT_TYPES.find((type) => type === value)
  if (known === undefined) throw new Error(`${itemName} has an unknown contentType ${JSON.stringify(value)}`)
  return known
}

function imageCursorKey(nextKey: string, groupId: string): Item {
  const key = decodeCursor(nextKey, CURSOR_ATTRIBUTES)
  if (key.groupId !== groupId || !isIsoTimestamp(key.timestamp)) {
    throw new InvalidInputError('nextKey is not a key returned by this listing')
  }
  return key
}
