import type { DynamoDbTableProperties, DynamoDbTableResource } from '#local/dynamodb/table-definition.ts'
import { groupsByTimeIndexName, imageIdIndexName } from '../../infra/environment.ts'
import { tables } from '../../infra/resources/tables.ts'

/**
 * The deployed table definitions (infra/resources/tables.ts) under a table name of the test's choosing,
 * so tests run against exactly the keys and indexes that ship.
 */
export const GROUPS_BY_TIME_INDEX = groupsByTimeIndexName
export const IMAGE_ID_INDEX = imageIdIndexName

export function groupsTableResource(tableName: string): DynamoDbTableResource {
  return deployedTable('GroupsTable', tableName)
}

export function imagesTableResource(tableName: string): DynamoDbTableResource {
  return deployedTable('ImagesTable', tableName)
}

function deployedTable(logicalId: string, tableName: string): DynamoDbTableResource {
  const resource = tables[logicalId]
  if (resource?.Type !== 'AWS::DynamoDB::Table' || resource.Properties === undefined) {
    throw new Error(`infra/resources/tables.ts has no DynamoDB table ${logicalId}`)
  }
  // A deep copy, so that a test changing its definition changes nothing for the next test.
  const properties = structuredClone(resource.Properties) as unknown as DynamoDbTableProperties
  return { Type: 'AWS::DynamoDB::Table', Properties: { ...properties, TableName: tableName } }
}
