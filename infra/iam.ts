// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import type { AWS } from 'osls'

type Statements = NonNullable<
  Extract<NonNullable<AWS['provider']['iam']>['role'], { statements?: unknown }>['statements']
>

const tableAndIndexes = (tableLogicalId: string) => {
  const tableArn = { 'Fn::GetAtt': [tableLogicalId, 'Arn'] }
  return [tableArn, { 'Fn::Join': ['/', [tableArn, 'index', '*']] }]
}

const objectsOf = (bucketLogicalId: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketLogicalId, 'Arn'] }, '/*']],
})

/**
 * The shared Lambda role: only the actions the handlers call, only on this stack's tables, buckets
 * and WebSocket API. Least privilege per function is issue 8.
 *
 * Not listed because osls adds them to this role itself: `sqs:SendMessage` on the failures queue (for
 * the functions' `destinations`), and, because the service has websocket events,
 * `execute-api:ManageConnections` on the `@connections` of any API in any region and account
 * (osls 4.3.1 `websockets/lib/api.js`). That grant is broader than the scoped one below; no osls
 * setting drops it while the functions share osls's role.
 */
export const lambdaRoleStatements: Statements = [
  {
    Effect: 'Allow',
    Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    Resource: [...tableAndIndexes('GroupsTable'), ...tableAndIndexes('ImagesTable')],
  },
  {
    // Settling an image (pending -> ready | failed) is a conditional update.
    Effect: 'Allow',
    Action: ['dynamodb:UpdateItem'],
    Resource: { 'Fn::GetAtt': ['ImagesTable', 'Arn'] },
  },
  {
    // Owners delete an empty group and their images, each delete conditional on the item being there.
    Effect: 'Allow',
    Action: ['dynamodb:DeleteItem'],
    Resource: [{ 'Fn::GetAtt': ['GroupsTable', 'Arn'] }, { 'Fn::GetAtt': ['ImagesTable', 'Arn'] }],
  },
  {
    Effect: 'Allow',
    Action: [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
      'dynamodb:Query',
      'dynamodb:BatchWriteItem',
    ],
    Resource: tableAndIndexes('ConnectionsTable'),
  },
  {
    Effect: 'Allow',
    Action: ['s3:PutObject'],
    Resource: objectsOf('ImagesBucket'),
  },
  {
    // The resize function reads the uploaded original.
    Effect: 'Allow',
    Action: ['s3:GetObject'],
    Resource: objectsOf('ImagesBucket'),
  },
  {
    // Without it S3 answers a missing original with 403 instead of 404, and the resize function would
    // retry an upload that is simply gone instead of ignoring it.
    Effect: 'Allow',
    Action: ['s3:ListBucket'],
    Resource: { 'Fn::GetAtt': ['ImagesBucket', 'Arn'] },
  },
  {
    Effect: 'Allow',
    Action: ['s3:PutObject'],
    Resource: objectsOf('ThumbnailsBucket'),
  },
  {
    // Deleting an image deletes its original and its thumbnail.
    Effect: 'Allow',
    Action: ['s3:DeleteObject'],
    Resource: [objectsOf('ImagesBucket'), objectsOf('ThumbnailsBucket')],
  },
  {
    // Posting to this stage's connections of this API only.
    Effect: 'Allow',
    Action: ['execute-api:ManageConnections'],
    Resource: {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':execute-api:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':',
          { Ref: 'WebsocketsApi' },
          '/${sls:stage}/POST/@connections/*',
        ],
      ],
    },
  },
]
