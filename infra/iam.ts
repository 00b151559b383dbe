import type { AWS } from 'osls'

type Statements = NonNullable<
  Extract<NonNullable<AWS['provider']['iam']>['role'], { statements?: unknown }>['statements']
>

const tableAndIndexes = (tableLogicalId: string) => {
  const tableArn = { 'Fn::GetAtt': [tableLogicalId, 'Arn'] }
  return [tableArn, { 'Fn::Join': ['/', [tableArn, 'index', '*']] }]
}

/**
 * The shared Lambda role: only the actions the API handlers call, only on this stack's tables and
 * bucket. Least privilege per function is issue 8.
 */
export const lambdaRoleStatements: Statements = [
  {
    Effect: 'Allow',
    Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    Resource: [...tableAndIndexes('GroupsTable'), ...tableAndIndexes('ImagesTable')],
  },
  {
    Effect: 'Allow',
    Action: ['s3:PutObject'],
    Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['ImagesBucket', 'Arn'] }, '/*']] },
  },
]
