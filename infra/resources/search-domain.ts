// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import { asyncFailuresQueueLogicalId } from './async-failures-queue.ts'
import { arnIn, lambdaTrust, logsAndTraces } from './lambda-roles.ts'
import type { CfnResources } from './types.ts'

export const searchDomainLogicalId = 'SearchDomain'
export const searchRoleLogicalId = 'SearchImagesRole'
export const indexerRoleLogicalId = 'IndexImagesRole'

const domainName = '${self:service}-${sls:stage}'
const domainPaths = arnIn('es', `domain/${domainName}/*`)
/**
 * The search index on AWS and the two roles allowed to use it. The course opens its domain to
 * `Principal: *`; this one answers only the indexer's and the search function's roles, over HTTPS
 * (TLS 1.2+), encrypted at rest and between nodes. The functions have roles of their own so that the
 * domain policy can name exactly them.
 */
export const searchDomain: CfnResources = {
  [searchDomainLogicalId]: {
    Type: 'AWS::OpenSearchService::Domain',
    Properties: {
      DomainName: domainName,
      EngineVersion: 'OpenSearch_2.19',
      ClusterConfig: {
        InstanceType: '${param:searchInstanceType}',
        InstanceCount: '${param:searchInstanceCount}',
      },
      EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 10 },
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' },
      AccessPolicies: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              AWS: [
                { 'Fn::GetAtt': [indexerRoleLogicalId, 'Arn'] },
                { 'Fn::GetAtt': [searchRoleLogicalId, 'Arn'] },
              ],
            },
            Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete'],
            Resource: domainPaths,
          },
        ],
      },
    },
  },
  [searchRoleLogicalId]: {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: lambdaTrust,
      Policies: [
        {
          PolicyName: 'search-images',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              ...logsAndTraces('SearchImages'),
              // Searching is a POST to <index>/_search; HEAD/GET read the index's existence and mapping.
              {
                Effect: 'Allow',
                Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'],
                Resource: domainPaths,
              },
            ],
          },
        },
      ],
    },
  },
  [indexerRoleLogicalId]: {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: lambdaTrust,
      Policies: [
        {
          PolicyName: 'index-images',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              ...logsAndTraces('IndexImages'),
              {
                // What Lambda's event source mapping calls, with the function's role, to poll the stream.
                Effect: 'Allow',
                Action: [
                  'dynamodb:DescribeStream',
                  'dynamodb:GetRecords',
                  'dynamodb:GetShardIterator',
                  'dynamodb:ListStreams',
                ],
                Resource: { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] },
              },
              {
                // Group names are indexed with their images.
                Effect: 'Allow',
                Action: ['dynamodb:GetItem'],
                Resource: { 'Fn::GetAtt': ['GroupsTable', 'Arn'] },
              },
              {
                // Creating the index if missing (PUT/HEAD <index>), `_bulk` (POST).
                Effect: 'Allow',
                Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'],
                Resource: domainPaths,
              },
              {
                // The stream's on-failure destination.
                Effect: 'Allow',
                Action: ['sqs:SendMessage'],
                Resource: { 'Fn::GetAtt': [asyncFailuresQueueLogicalId, 'Arn'] },
              },
            ],
          },
        },
      ],
    },
  },
}
