import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb'
import type { SubscriptionRegistry } from '#core/ports/subscription-registry.ts'
import { InvalidInputError, NotFoundError } from '#core/shared/errors.ts'
import { type Item, stringField } from './item-fields.ts'

export interface DynamoDbSubscriptionRegistryOptions {
  client: DynamoDBDocumentClient
  /** Keyed by `connectionId` (HASH) and `sk` (RANGE), with TTL on `expiresAt`. */
  tableName: string
  /** GSI with `groupId` (HASH) and `connectionId` (RANGE), projecting `expiresAt`. */
  groupIndexName: string
  /** Decides expiry times and what has expired; defaults to the system clock. */
  clock?: () => Date
}

const CONNECTION_SK = 'connection'
const GROUP_SK_PREFIX = 'group#'
/** DynamoDB's limits: a sort key (sk, and connectionId in the index) holds at most 1024 bytes. */
const MAX_SORT_KEY_BYTES = 1024
const MAX_GROUP_ID_BYTES = MAX_SORT_KEY_BYTES - Buffer.byteLength(GROUP_SK_PREFIX)
/** BatchWriteItem takes at most 25 requests. */
const BATCH_WRITE_LIMIT = 25
/** Rounds of retrying the deletes a BatchWriteItem left unprocessed (throttling) before giving up. */
const UNPROCESSED_RETRY_ROUNDS = 8
const UNPROCESSED_RETRY_BASE_MS = 50

type Key = { connectionId: string; sk: string }

/**
 * Connections and subscriptions in one table, one partition per connection:
 * `{connectionId, sk: 'connection', userId, connectedAt, expiresAt}` and
 * `{connectionId, sk: 'group#<groupId>', groupId, expiresAt}`. Only subscriptions carry `groupId`,
 * so the group index lists a group's subscribers and nothing else. `expiresAt` (epoch seconds) is the
 * table's TTL attribute; TTL deletes an expired item only within days of its expiry (DynamoDB's TTL
 * docs), so reads skip what has expired themselves.
 */
export class DynamoDbSubscriptionRegistry implements SubscriptionRegistry {
  readonly #client: DynamoDBDocumentClient
  readonly #tableName: string
  readonly #groupIndexName: string
  readonly #clock: () => Date

  constructor(options: DynamoDbSubscriptionRegistryOptions) {
    this.#client = options.client
    this.#tableName = options.tableName
    this.#groupIndexName = options.groupIndexName
    this.#clock = options.clock ?? (() => new Date())
  }

  async addConnection(connection: {
    connectionId: string
    userId: string
    ttlSeconds: number
  }): Promise<void> {
    if (!isPossibleConnectionId(connection.connectionId)) {
      throw new InvalidInputError('a connection id must be 1 to 1024 bytes long')
    }
    const now = this.#clock()
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: {
          connectionId: connection.connectionId,
          sk: CONNECTION_SK,
          userId: connection.userId,
          connectedAt: now.toISOString(),
          expiresAt: epochSeconds(now) + connection.ttlSeconds,
        },
      }),
    )
  }

  /**
   * Deletes the connection item first, then every subscription found after that. A `subscribe`
   * racing with this either wrote its subscription before the Query (which then deletes it) or
   * checks the connection after its deletion (and deletes its own subscription): none is left over.
   */
  async removeConnection(connectionId: string): Promise<void> {
    if (!isPossibleConnectionId(connectionId)) return
    await this.#client.send(
      new DeleteCommand({ TableName: this.#tableName, Key: { connectionId, sk: CONNECTION_SK } }),
    )
    const subscriptions = await this.#queryAll({
      TableName: this.#tableName,
      KeyConditionExpression: 'connectionId = :connectionId AND begins_with(sk, :group)',
      ExpressionAttributeValues: { ':connectionId': connectionId, ':group': GROUP_SK_PREFIX },
      ProjectionExpression: 'connectionId, sk',
      ConsistentRead: true,
    })
    await this.#deleteAll(
      subscriptions.map((item) => ({
        connectionId,
        sk: stringField(item, 'sk', this.#itemName(connectionId)),
      })),
    )
  }

  /**
   * Writes the subscription, then checks the connection with a consistent read and takes the
   * subscription back if the connection is gone or expired. A transaction (ConditionCheck on the
   * connection + Put) would say this in one call, but dynalite, the local cloud's DynamoDB, has no
   * TransactWriteItems (dynalite 4.0.0 index.js `validOperations`); `removeConnection` explains why
   * this order leaves nothing behind.
   */
  async subscribe(connectionId: string, groupId: string, ttlSeconds: number): Promise<void> {
    if (!isPossibleGroupId(groupId))
      throw new InvalidInputError(`a group id must be 1 to ${MAX_GROUP_ID_BYTES} bytes long`)
    if (!isPossibleConnectionId(connectionId)) throw notRegistered(connectionId)
    const now = this.#clock()
    const key = subscriptionKey(connectionId, groupId)
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: { ...key, groupId, expiresAt: epochSeconds(now) + ttlSeconds },
      }),
    )
    const { Item: connection } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: { connectionId, sk: CONNECTION_SK },
        ConsistentRead: true,
        ProjectionExpression: 'expiresAt',
      }),
    )
    if (connection === undefined || hasExpired(connection.expiresAt, now)) {
      await this.#client.send(new DeleteCommand({ TableName: this.#tableName, Key: key }))
      throw notRegistered(connectionId)
    }
  }

  async unsubscribe(connectionId: string, groupId: string): Promise<void> {
    if (!isPossibleConnectionId(connectionId) || !isPossibleGroupId(groupId)) return
    await this.#client.send(
      new DeleteCommand({ TableName: this.#tableName, Key: subscriptionKey(connectionId, groupId) }),
    )
  }

  async subscribersOf(groupId: string): Promise<string[]> {
    if (!isPossibleGroupId(groupId)) return []
    const items = await this.#queryAll({
      TableName: this.#tableName,
      IndexName: this.#groupIndexName,
      KeyConditionExpression: 'groupId = :groupId',
      FilterExpression: 'expiresAt >= :now',
      ExpressionAttributeValues: { ':groupId': groupId, ':now': epochSeconds(this.#clock()) },
      ProjectionExpression: 'connectionId',
    })
    return items.map((item) =>
      stringField(item, 'connectionId', `subscription to ${groupId} in ${this.#tableName}`),
    )
  }

  /** Every item a Query matches, following LastEvaluatedKey past DynamoDB's 1 MB pages. */
  async #queryAll(query: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = []
    let exclusiveStartKey: Item | undefined
    do {
      const output = await this.#client.send(
        new QueryCommand({ ...query, ExclusiveStartKey: exclusiveStartKey }),
      )
      items.push(...(output.Items ?? []))
      exclusiveStartKey = output.LastEvaluatedKey
    } while (exclusiveStartKey !== undefined)
    return items
  }

  /** Deletes in batches of 25, retrying with backoff what DynamoDB leaves unprocessed under load. */
  async #deleteAll(keys: Key[]): Promise<void> {
    for (let start = 0; start < keys.length; start += BATCH_WRITE_LIMIT) {
      let requests = keys
        .slice(start, start + BATCH_WRITE_LIMIT)
        .map((key) => ({ DeleteRequest: { Key: key } }))
      for (let round = 0; requests.length > 0; round++) {
        if (round > UNPROCESSED_RETRY_ROUNDS) {
          throw new Error(
            `${this.#tableName}: ${requests.length} deletes still unprocessed after ${UNPROCESSED_RETRY_ROUNDS} retries`,
          )
        }
        if (round > 0) await sleep(UNPROCESSED_RETRY_BASE_MS * 2 ** (round - 1))
        const { UnprocessedItems: unprocessed } = await this.#client.send(
          new BatchWriteCommand({ RequestItems: { [this.#tableName]: requests } }),
        )
        requests = (unprocessed?.[this.#tableName] ?? []).flatMap((request) =>
          request.DeleteRequest?.Key ? [{ DeleteRequest: { Key: request.DeleteRequest.Key as Key } }] : [],
        )
      }
    }
  }

  #itemName(connectionId: string): string {
    return `item of connection ${JSON.stringify(connectionId)} in ${this.#tableName}`
  }
}

function subscriptionKey(connectionId: string, groupId: string): Key {
  return { connectionId, sk: `${GROUP_SK_PREFIX}${groupId}` }
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

/** Same rule as the Query filter: expired once `expiresAt` is before the current second. */
function hasExpired(expiresAt: unknown, now: Date): boolean {
  return typeof expiresAt !== 'number' || expiresAt < epochSeconds(now)
}

function isPossibleConnectionId(connectionId: string): boolean {
  return connectionId.length > 0 && Buffer.byteLength(connectionId, 'utf8') <= MAX_SORT_KEY_BYTES
}

function isPossibleGroupId(groupId: string): boolean {
  return groupId.length > 0 && Buffer.byteLength(groupId, 'utf8') <= MAX_GROUP_ID_BYTES
}

function notRegistered(connectionId: string): NotFoundError {
  return new NotFoundError(`connection ${connectionId} is not registered`)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
