import type {
  CreateTableInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  Projection,
} from '@aws-sdk/client-dynamodb'
import type {
  CfnKeySchemaElement,
  CfnProjection,
  CfnProvisionedThroughput,
  DynamoDbTableProperties,
} from './table-definition.ts'

/**
 * Maps a CloudFormation table definition to the CreateTable call that makes the same table. The
 * key-defining, billing and stream parts carry over (the local DynamoDB keeps the stream: see
 * streams/install-stream-capture.ts); TimeToLiveSpecification is a separate API call
 * (UpdateTimeToLive) and not part of CreateTable.
 */
export function toCreateTableInput(properties: DynamoDbTableProperties): CreateTableInput {
  const table = properties.TableName
  const payPerRequest = properties.BillingMode === 'PAY_PER_REQUEST'
  const input: CreateTableInput = {
    TableName: table,
    AttributeDefinitions: properties.AttributeDefinitions.map((definition) => ({
      AttributeName: definition.AttributeName,
      AttributeType: definition.AttributeType,
    })),
    KeySchema: keySchema(properties.KeySchema),
    BillingMode: payPerRequest ? 'PAY_PER_REQUEST' : 'PROVISIONED',
  }
  const tableThroughput = throughput(table, table, payPerRequest, properties.ProvisionedThroughput)
  if (tableThroughput) input.ProvisionedThroughput = tableThroughput

  if (properties.GlobalSecondaryIndexes?.length) {
    input.GlobalSecondaryIndexes = properties.GlobalSecondaryIndexes.map((index) => {
      const global: GlobalSecondaryIndex = {
        IndexName: index.IndexName,
        KeySchema: keySchema(index.KeySchema),
        Projection: projection(index.Projection),
      }
      const indexThroughput = throughput(
        table,
        `index ${index.IndexName}`,
        payPerRequest,
        index.ProvisionedThroughput,
      )
      if (indexThroughput) global.ProvisionedThroughput = indexThroughput
      return global
    })
  }
  if (properties.LocalSecondaryIndexes?.length) {
    input.LocalSecondaryIndexes = properties.LocalSecondaryIndexes.map(
      (index): LocalSecondaryIndex => ({
        IndexName: index.IndexName,
        KeySchema: keySchema(index.KeySchema),
        Projection: projection(index.Projection),
      }),
    )
  }
  if (properties.StreamSpecification) {
    // CloudFormation enables the stream by naming a view type; CreateTable wants both.
    input.StreamSpecification = {
      StreamEnabled: true,
      StreamViewType: properties.StreamSpecification.StreamViewType,
    }
  }
  return input
}

function keySchema(elements: readonly CfnKeySchemaElement[]): KeySchemaElement[] {
  return elements.map((element) => ({ AttributeName: element.AttributeName, KeyType: element.KeyType }))
}

function projection(source: CfnProjection): Projection {
  const result: Projection = { ProjectionType: source.ProjectionType ?? 'KEYS_ONLY' }
  if (source.NonKeyAttributes?.length) result.NonKeyAttributes = [...source.NonKeyAttributes]
  return result
}

/** On-demand tables and their indexes must have no throughput; provisioned ones must have it. */
function throughput(
  table: string,
  what: string,
  payPerRequest: boolean,
  given: CfnProvisionedThroughput | undefined,
): CfnProvisionedThroughput | undefined {
  if (payPerRequest) {
    if (given) {
      throw new Error(`table ${table}: ${what} has ProvisionedThroughput but the table is PAY_PER_REQUEST`)
    }
    return undefined
  }
  if (!given) {
    throw new Error(
      `table ${table}: ${what} needs ProvisionedThroughput unless BillingMode is PAY_PER_REQUEST`,
    )
  }
  return { ReadCapacityUnits: given.ReadCapacityUnits, WriteCapacityUnits: given.WriteCapacityUnits }
}
