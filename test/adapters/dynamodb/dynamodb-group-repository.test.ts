import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { DynamoDbGroupRepository } from '#adapters/dynamodb/dynamodb-group-repository.ts'
import { encodeCursor } from '#adapters/shared/cursor.ts'
import { InvalidInputError } from '#core/shared/errors.ts'
import { createTablesFromResources } from '#local/dynamodb/create-tables.ts'
import { aGroup } from '#test/builders/groups.ts'
import {
  type LocalDynamoDbClients,
  startInMemoryDynamoDb,
  uniqueTableName,
} from '#test/builders/local-dynamodb.ts'
import { GROUPS_BY_TIME_INDEX, groupsTableResource } from '#test/builders/table-definitions.ts'
import { groupRepositoryContract } from '#test/contracts/group-repository.contract.ts'

describe('DynamoDbGroupRepository on dynalite', () => {
  let local: LocalDynamoDbClients
  before(async () => {
    local = await startInMemoryDynamoDb()
  })
  after(() => local.close())

  async function freshRepository(): Promise<{ groups: DynamoDbGroupRepository; tableName: string }> {
    const tableName = uniqueTableName('groups')
    await createTablesFromResources(local.client, [groupsTableResource(tableName)])
    const groups = new DynamoDbGroupRepository({
      client: local.documentClient,
      tableName,
      byTimeIndexName: GROUPS_BY_TIME_INDEX,
    })
    return { groups, tableName }
  }

  groupRepositoryContract(async () => (await freshRepository()).groups)

  it('stores exactly the group fields plus kind, the partition of the by-time index', async () => {
    const { groups, tableName } = await freshRepository()
    const group = aGroup()

    await groups.add(group)

    const { Item } = await local.documentClient.send(
      new GetCommand({ TableName: tableName, Key: { id: group.id } }),
    )
    assert.deepEqual(Item, { ...group, kind: 'group' })
  })

  it('rejects a well-formed key of another kind or with other attributes', async () => {
    const { groups } = await freshRepository()
    await groups.add(aGroup({ id: 'g1' }))
    const otherKind = encodeCursor({ id: 'g1', kind: 'image', timestamp: '2026-01-01T00:00:00.000Z' })
    const imageKey = encodeCursor({ groupId: 'g1', timestamp: '2026-01-01T00:00:00.000Z' })

    for (const nextKey of [otherKind, imageKey]) {
      await assert.rejects(groups.listNewestFirst({ limit: 5, nextKey }), InvalidInputError)
    }
  })

  it('fails loudly, naming the item, when a stored group lacks a field', async () => {
    const { groups, tableName } = await freshRepository()
    await local.documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: { id: 'broken', kind: 'group', timestamp: '2026-01-01' },
      }),
    )

    await assert.rejects(groups.get('broken'), /group item "broken" in groups-.* has no string "name"/)
    await assert.rejects(groups.listNewestFirst({ limit: 5 }), /group item "broken"/)
  })
})
