/**
 * The subset of CloudFormation's `AWS::DynamoDB::Table` the app uses, typed so that one definition
 * (infra/resources) feeds both the deployed stack and the local cloud. Arrays are readonly so that
 * `as const` definitions fit.
 */

export type AttributeType = 'S' | 'N' | 'B'

export interface CfnAttributeDefinition {
  AttributeName: string
  AttributeType: AttributeType
}

export interface CfnKeySchemaElement {
  AttributeName: string
  KeyType: 'HASH' | 'RANGE'
}

export interface CfnProjection {
  ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'
  NonKeyAttributes?: readonly string[]
}

export interface CfnProvisionedThroughput {
  ReadCapacityUnits: number
  WriteCapacityUnits: number
}

export interface CfnGlobalSecondaryIndex {
  IndexName: string
  KeySchema: readonly CfnKeySchemaElement[]
  Projection: CfnProjection
  ProvisionedThroughput?: CfnProvisionedThroughput
}

export interface CfnLocalSecondaryIndex {
  IndexName: string
  KeySchema: readonly CfnKeySchemaElement[]
  Projection: CfnProjection
}

export interface DynamoDbTableProperties {
  TableName: string
  AttributeDefinitions: readonly CfnAttributeDefinition[]
  KeySchema: readonly CfnKeySchemaElement[]
  GlobalSecondaryIndexes?: readonly CfnGlobalSecondaryIndex[]
  LocalSecondaryIndexes?: readonly CfnLocalSecondaryIndex[]
  /** CloudFormation's default is PROVISIONED. */
  BillingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED'
  ProvisionedThroughput?: CfnProvisionedThroughput
  StreamSpecification?: { StreamViewType: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' }
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean }
}

export interface DynamoDbTableResource {
  Type: 'AWS::DynamoDB::Table'
  Properties: DynamoDbTableProperties
}

/** Any CloudFormation resource; those that are not DynamoDB tables are skipped by the local cloud. */
export interface CloudFormationResource {
  Type: string
  Properties?: unknown
}
