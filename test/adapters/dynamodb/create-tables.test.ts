import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { createTablesFromResources } from '#local/dynamodb/create-tables.ts'
import type { DynamoDbTableResource } from '#local/dynamodb/table-definition.ts'
import {
  type LocalDynamoDbClients,
  startInMemoryDynamoDb,
  uniqueTableName,
} from '#test/builders/local-dynamodb.ts'
import { groupsTableResource, imagesTableResource } from '#test/builders/table-definitions.ts'

describe('createTablesFromResources on dynalite', () => {
  let local: LocalDynamoDbClients
  before(async () => {
    local = await startInMemoryDynamoDb()
  })
  after(() => local.close())

  it('creates every table among the resources, ACTIVE with their indexes, and skips other resources', async () => {
    const groups = uniqueTableName('groups')
    const images = uniqueTableName('images')

    const result = await createTablesFromResources(local.client, {
      GroupsTable: groupsTableResource(groups),
      ImagesTable: imagesTableResource(images),
      ImagesBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'not-a-table' } },
    })

    assert.deepEqual(result, { created: [groups, images], existing: [] })
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: images }))
    assert.equal(Table?.TableStatus, 'ACTIVE')
    assert.equal(Table?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST')
    assert.deepEqual(
      Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus]),
      [['ImageIdIndex', 'ACTIVE']],
    )
  })

  it('leaves an existing matching table and its items alone', async () => {
    const name = uniqueTableName('groups')
    await createTablesFromResources(local.client, [groupsTableResource(name)])
    await local.documentClient.send(new PutCommand({ TableName: name, Item: { id: 'kept' } }))

    const result = await createTablesFromResources(local.client, [groupsTableResource(name)])

    assert.deepEqual(result, { created: [], existing: [name] })
    const { Item } = await local.documentClient.send(new GetCommand({ TableName: name, Key: { id: 'kept' } }))
    assert.deepEqual(Item, { id: 'kept' })
  })

  it('refuses an existing table whose key schema differs, naming the table and the difference', async () => {
    const name = uniqueTableName('drift')
    await createTablesFromResources(local.client, [groupsTableResource(name)])
    const redefined = imagesTableResource(name)

    await assert.rejects(createTablesFromResources(local.client, [redefined]), (error: Error) => {
      assert.match(error.message, new RegExp(`table ${name} differs from its definition`))
      assert.match(
        error.message,
        /key schema is id\(S\) HASH, definition says groupId\(S\) HASH, timestamp\(S\) RANGE/,
      )
      assert.match(error.message, /global index ImageIdIndex is missing/)
      assert.match(error.message, /global index GroupsByTimeIndex is not in the definition/)
      return true
    })
  })

  it('refuses an existing table whose index keys or attribute types differ', async () => {
    const name = uniqueTableName('drift')
    await createTablesFromResources(local.client, [groupsTableResource(name)])
    const original = groupsTableResource(name).Properties
    const numericTime: DynamoDbTableResource = {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        ...original,
        AttributeDefinitions: original.AttributeDefinitions.map((definition) =>
          definition.AttributeName === 'timestamp' ? { ...definition, AttributeType: 'N' } : definition,
        ),
      },
    }

    await assert.rejects(
      createTablesFromResources(local.client, [numericTime]),
      /global index GroupsByTimeIndex key schema is kind\(S\) HASH, timestamp\(S\) RANGE, definition says kind\(S\) HASH, timestamp\(N\) RANGE/,
    )
  })

  it('asks for a plain TableName instead of sending a CloudFormation intrinsic', async () => {
    const resource = { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { Ref: 'Stage' } } }

    await assert.rejects(
      createTablesFromResources(local.client, { GroupsTable: resource }),
      /resource GroupsTable: the local cloud needs TableName as a plain string, got {"Ref":"Stage"}/,
    )
  })
})
