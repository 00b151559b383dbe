// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import { groupSubscribersIndexName, groupsByTimeIndexName, imageIdIndexName } from '../environment.ts'
import { dataRetentionPolicies } from './data-protection.ts'
import type { CfnResources } from './types.ts'

export const tables: CfnResources = {
  GroupsTable: {
    Type: 'AWS::DynamoDB::Table',
    ...dataRetentionPolicies,
    Properties: {
      TableName: '${self:provider.environment.GROUPS_TABLE}',
      BillingMode: 'PAY_PER_REQUEST',
      // Restorable to any second of the last 35 days, and encrypted with a KMS key (AWS-managed).
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: '${param:dataDeletionProtection}',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'kind', AttributeType: 'S' },
        { AttributeName: 'timestamp', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          // Every group item has kind = 'group', so one Query on this index lists all groups by
          // creation time without a Scan.
          IndexName: groupsByTimeIndexName,
          KeySchema: [
            { AttributeName: 'kind', KeyType: 'HASH' },
            { AttributeName: 'timestamp', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
  },
  ImagesTable: {
    Type: 'AWS::DynamoDB::Table',
    ...dataRetentionPolicies,
    Properties: {
      TableName: '${self:provider.environment.IMAGES_TABLE}',
      BillingMode: 'PAY_PER_REQUEST',
      // Restorable to any second of the last 35 days, and encrypted with a KMS key (AWS-managed).
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: '${param:dataDeletionProtection}',
      AttributeDefinitions: [
        { AttributeName: 'groupId', AttributeType: 'S' },
        { AttributeName: 'timestamp', AttributeType: 'S' },
        { AttributeName: 'imageId', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'groupId', KeyType: 'HASH' },
        { AttributeName: 'timestamp', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: imageIdIndexName,
          KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    },
  },
  /**
   * WebSocket connections (sk = 'connection') and their group subscriptions (sk = 'group#<groupId>'),
   * under one partition per connection so a disconnect finds everything to delete in one Query.
   */
  ConnectionsTable: {
    Type: 'AWS::DynamoDB::Table',
    ...dataRetentionPolicies,
    Properties: {
      TableName: '${self:provider.environment.CONNECTIONS_TABLE}',
      BillingMode: 'PAY_PER_REQUEST',
      // Restorable to any second of the last 35 days, and encrypted with a KMS key (AWS-managed).
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: '${param:dataDeletionProtection}',
      AttributeDefinitions: [
        { AttributeName: 'connectionId', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'groupId', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'connectionId', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          // Only subscription items have groupId, so this sparse index lists a group's subscribers.
          // expiresAt is projected (not KEYS_ONLY) so a Query can skip subscriptions that expired but
          // that TTL, which deletes lazily, has not removed yet; a Query on an index cannot read
          // attributes it does not project.
          IndexName: groupSubscribersIndexName,
          KeySchema: [
            { AttributeName: 'groupId', KeyType: 'HASH' },
            { AttributeName: 'connectionId', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['expiresAt'] },
        },
      ],
      // $disconnect is best effort (API Gateway's docs say so); a connection it missed still goes away.
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    },
  },
}
