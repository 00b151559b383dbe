import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { createTablesFromResources } from '#local/dynamodb/create-tables.ts'
import type { DynamoDbTableResource } from '#local/dynamodb/table-definition.ts'
import { toCreateTableInput } from '#local/dynamodb/to-create-table-input.ts'
import {
  type LocalDynamoDbClients,
  startInMemoryDynamoDb,
  uniqueTableName,
  untilActive,
} from '#test/builders/local-dynamodb.ts'
import { imagesTableResource } from '#test/builders/table-definitions.ts'

describe('createTablesFromResources and streams', () => {
  let local: LocalDynamoDbClients
  before(async () => {
    local = await startInMemoryDynamoDb()
  })
  after(() => local.close())

  /** A table as a data folder from before the local streams has it: the definition's, without stream. */
  async function aTableWithoutStream(resource: DynamoDbTableResource): Promise<void> {
    const { StreamSpecification: _, ...input } = toCreateTableInput(resource.Properties)
    await local.client.send(new CreateTableCommand(input))
    await untilActive(local.client, resource.Properties.TableName)
  }
  const streamOf = async (tableName: string) =>
    (await local.client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.StreamSpecification

  it('creates a table with the stream its definition declares', async () => {
    const name = uniqueTableName('images')

    await createTablesFromResources(local.client, [imagesTableResource(name)])

    assert.deepEqual(await streamOf(name), { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' })
  })

  it('enables the declared stream of an existing table that has none, which then records writes', async () => {
    const name = uniqueTableName('images')
    const resource = imagesTableResource(name)
    await aTableWithoutStream(resource)

    const result = await createTablesFromResources(local.client, [resource])
    await local.client.send(
      new PutItemCommand({
        TableName: name,
        Item: { groupId: { S: 'g1' }, timestamp: { S: 't1' }, imageId: { S: 'i1' } },
      }),
    )

    assert.deepEqual(result, { created: [], existing: [name] })
    assert.deepEqual(await streamOf(name), { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' })
    assert.deepEqual(
      (await local.dynamoDb.streams.read(name, undefined, 10)).map((record) => record.eventName),
      ['INSERT'],
    )
  })

  it('gives an existing stream the view type of the definition, and takes away one it does not declare', async () => {
    const changed = imagesTableResource(uniqueTableName('images'))
    await createTablesFromResources(local.client, [changed])
    const undeclared = imagesTableResource(uniqueTableName('images'))
    await createTablesFromResources(local.client, [undeclared])
    changed.Properties.StreamSpecification = { StreamViewType: 'KEYS_ONLY' }
    delete undeclared.Properties.StreamSpecification

    await createTablesFromResources(local.client, [changed, undeclared])

    assert.deepEqual(await streamOf(changed.Properties.TableName), {
      StreamEnabled: true,
      StreamViewType: 'KEYS_ONLY',
    })
    assert.equal(await streamOf(undeclared.Properties.TableName), undefined)
  })
})
