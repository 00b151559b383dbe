import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { DynamoDbTableProperties } from '#local/dynamodb/table-definition.ts'
import { toCreateTableInput } from '#local/dynamodb/to-create-table-input.ts'
import { groupsTableResource, imagesTableResource } from '#test/builders/table-definitions.ts'

describe('toCreateTableInput', () => {
  it('maps an on-demand table with a GSI and a stream', () => {
    const input = toCreateTableInput(imagesTableResource('Images').Properties)

    assert.deepEqual(input, {
      TableName: 'Images',
      AttributeDefinitions: [
        { AttributeName: 'groupId', AttributeType: 'S' },
        { AttributeName: 'timestamp', AttributeType: 'S' },
        { AttributeName: 'imageId', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'groupId', KeyType: 'HASH' },
        { AttributeName: 'timestamp', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'ImageIdIndex',
          KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    })
  })

  it('gives no ProvisionedThroughput anywhere for PAY_PER_REQUEST', () => {
    const input = toCreateTableInput(groupsTableResource('Groups').Properties)

    assert.equal(input.BillingMode, 'PAY_PER_REQUEST')
    assert.equal('ProvisionedThroughput' in input, false)
    assert.equal(
      input.GlobalSecondaryIndexes?.some((index) => 'ProvisionedThroughput' in index),
      false,
    )
    assert.equal('StreamSpecification' in input, false)
  })

  it('carries provisioned throughput, local indexes and INCLUDE projections over', () => {
    const properties: DynamoDbTableProperties = {
      TableName: 'Provisioned',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'other', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'ByOther',
          KeySchema: [{ AttributeName: 'other', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'ByOtherInPk',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'other', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    }

    const input = toCreateTableInput(properties)

    assert.equal(input.BillingMode, 'PROVISIONED')
    assert.deepEqual(input.ProvisionedThroughput, { ReadCapacityUnits: 5, WriteCapacityUnits: 2 })
    assert.deepEqual(input.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput, {
      ReadCapacityUnits: 1,
      WriteCapacityUnits: 1,
    })
    assert.deepEqual(input.GlobalSecondaryIndexes?.[0]?.Projection, {
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['title'],
    })
    assert.deepEqual(
      input.LocalSecondaryIndexes?.[0]?.KeySchema,
      properties.LocalSecondaryIndexes?.[0]?.KeySchema,
    )
    assert.equal('TimeToLiveSpecification' in input, false)
  })

  it('does not share arrays with the definition it was given', () => {
    const properties = groupsTableResource('Groups').Properties

    const input = toCreateTableInput(properties)
    input.KeySchema?.push({ AttributeName: 'extra', KeyType: 'RANGE' })

    assert.equal(properties.KeySchema.length, 1)
  })

  it('names the table when throughput does not fit the billing mode', () => {
    const { Properties: onDemand } = groupsTableResource('Groups')
    const provisionedWithout: DynamoDbTableProperties = { ...onDemand, BillingMode: 'PROVISIONED' }
    const onDemandWith: DynamoDbTableProperties = {
      ...onDemand,
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    }

    assert.throws(
      () => toCreateTableInput(provisionedWithout),
      /table Groups: Groups needs ProvisionedThroughput/,
    )
    assert.throws(() => toCreateTableInput(onDemandWith), /table Groups: .* but the table is PAY_PER_REQUEST/)
  })
})
