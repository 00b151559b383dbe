import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { BatchWriteCommand, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { DynamoDbSubscriptionRegistry } from '#adapters/dynamodb/dynamodb-subscription-registry.ts'
import { NotFoundError } from '#core/shared/errors.ts'
import { createTablesFromResources } from '#local/dynamodb/create-tables.ts'
import type { DynamoDbTableProperties, DynamoDbTableResource } from '#local/dynamodb/table-definition.ts'
import {
  clientsFor,
  type LocalDynamoDbClients,
  startInMemoryDynamoDb,
  uniqueTableName,
} from '#test/builders/local-dynamodb.ts'
import { subscriptionRegistryContract } from '#test/contracts/subscription-registry.contract.ts'
import { groupSubscribersIndexName } from '../../../infra/environment.ts'
import { tables } from '../../../infra/resources/tables.ts'

/** The deployed ConnectionsTable (infra/resources/tables.ts) under a name of the test's own. */
function connectionsTableResource(tableName: string): DynamoDbTableResource {
  const properties = structuredClone(
    tables.ConnectionsTable?.Properties,
  ) as unknown as DynamoDbTableProperties
  return { Type: 'AWS::DynamoDB::Table', Properties: { ...properties, TableName: tableName } }
}

const frozenAt = new Date('2026-03-01T12:00:00.000Z')
const frozenSeconds = frozenAt.getTime() / 1000

describe('DynamoDbSubscriptionRegistry on dynalite', () => {
  let local: LocalDynamoDbClients
  before(async () => {
    local = await startInMemoryDynamoDb()
  })
  after(() => local.close())

  async function freshRegistry(options: { clock?: () => Date; client?: typeof local.documentClient } = {}) {
    const tableName = uniqueTableName('connections')
    await createTablesFromResources(local.client, [connectionsTableResource(tableName)])
    const registry = new DynamoDbSubscriptionRegistry({
      client: options.client ?? local.documentClient,
      tableName,
      groupIndexName: groupSubscribersIndexName,
      clock: options.clock ?? (() => frozenAt),
    })
    return { registry, tableName }
  }

  subscriptionRegistryContract(async ({ clock }) => (await freshRegistry({ clock })).registry)

  it('stores a connection and a subscription as the documented items, expiry in epoch seconds', async () => {
    const { registry, tableName } = await freshRegistry()

    await registry.addConnection({ connectionId: 'c1', userId: 'alice', ttlSeconds: 7200 })
    await registry.subscribe('c1', 'g1', 3600)

    const { Items } = await local.documentClient.send(new ScanCommand({ TableName: tableName }))
    assert.deepEqual(
      Items?.sort((a, b) => String(a.sk).localeCompare(String(b.sk))),
      [
        {
          connectionId: 'c1',
          sk: 'connection',
          userId: 'alice',
          connectedAt: '2026-03-01T12:00:00.000Z',
          expiresAt: frozenSeconds + 7200,
        },
        { connectionId: 'c1', sk: 'group#g1', groupId: 'g1', expiresAt: frozenSeconds + 3600 },
      ],
    )
  })

  it('takes back the subscription it wrote for a connection that is not registered', async () => {
    const { registry, tableName } = await freshRegistry()

    await assert.rejects(registry.subscribe('stranger', 'g1', 3600), NotFoundError)

    const { Item } = await local.documentClient.send(
      new GetCommand({ TableName: tableName, Key: { connectionId: 'stranger', sk: 'group#g1' } }),
    )
    assert.equal(Item, undefined)
  })

  it('skips subscriptions past their expiry that TTL has not deleted yet', async () => {
    const { registry, tableName } = await freshRegistry()
    await local.documentClient.send(
      new BatchWriteCommand({
        RequestItems: {
          [tableName]: [
            {
              PutRequest: {
                Item: { connectionId: 'old', sk: 'group#g1', groupId: 'g1', expiresAt: frozenSeconds - 1 },
              },
            },
            {
              PutRequest: {
                Item: { connectionId: 'now', sk: 'group#g1', groupId: 'g1', expiresAt: frozenSeconds },
              },
            },
          ],
        },
      }),
    )

    assert.deepEqual(await registry.subscribersOf('g1'), ['now'])
  })

  it("lists a group's subscribers across more than one 1 MB page of the index", async () => {
    const { registry, tableName } = await freshRegistry()
    // ~1 KB connection ids (API Gateway's are 16 characters): 1100 of them fill more than one page.
    const connectionIds = Array.from(
      { length: 1100 },
      (_, i) => `${String(i).padStart(4, '0')}${'x'.repeat(1000)}`,
    )
    for (let start = 0; start < connectionIds.length; start += 25) {
      await local.documentClient.send(
        new BatchWriteCommand({
          RequestItems: {
            [tableName]: connectionIds.slice(start, start + 25).map((connectionId) => ({
              PutRequest: {
                Item: { connectionId, sk: 'group#big', groupId: 'big', expiresAt: frozenSeconds + 60 },
              },
            })),
          },
        }),
      )
    }
    const firstPage = await local.documentClient.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: groupSubscribersIndexName,
        KeyConditionExpression: 'groupId = :g',
        ExpressionAttributeValues: { ':g': 'big' },
      }),
    )
    assert.ok(firstPage.LastEvaluatedKey, 'the subscriptions must span more than one page for this test')

    const subscribers = await registry.subscribersOf('big')

    assert.equal(subscribers.length, connectionIds.length)
    assert.deepEqual(subscribers.sort(), connectionIds)
  })

  it('retries the deletes DynamoDB leaves unprocessed until all are done', async () => {
    // A client of its own whose BatchWriteItem calls carry out only their first request and hand the
    // rest back as UnprocessedItems, as DynamoDB does when throttled (dynalite never does).
    const { client: lowLevel, documentClient } = clientsFor(local.dynamoDb.endpoint)
    let batchWrites = 0
    lowLevel.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'BatchWriteItemCommand') return next(args)
        batchWrites++
        const input = args.input as { RequestItems: Record<string, unknown[]> }
        const [table, requests] = Object.entries(input.RequestItems)[0] ?? ['', []]
        const result = await next({
          ...args,
          input: { ...input, RequestItems: { [table]: requests.slice(0, 1) } },
        })
        const output = result.output as { UnprocessedItems?: Record<string, unknown[]> }
        if (requests.length > 1) output.UnprocessedItems = { [table]: requests.slice(1) }
        return result
      },
      { step: 'initialize', name: 'processOnlyTheFirstRequest' },
    )
    try {
      const { registry } = await freshRegistry({ client: documentClient })
      await registry.addConnection({ connectionId: 'c1', userId: 'alice', ttlSeconds: 7200 })
      for (const groupId of ['g1', 'g2', 'g3', 'g4']) await registry.subscribe('c1', groupId, 3600)

      await registry.removeConnection('c1')

      assert.equal(batchWrites, 4)
      for (const groupId of ['g1', 'g2', 'g3', 'g4'])
        assert.deepEqual(await registry.subscribersOf(groupId), [])
    } finally {
      lowLevel.destroy()
    }
  })
})
