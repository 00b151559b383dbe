// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import type { CfnResources } from './types.ts'

/** `arn:<partition>:<service>:<region>:<account>:<rest>`, with Refs the local resolver leaves alone. */
export const arnIn = (service: string, rest: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${rest}`,
    ],
  ],
})

/** The trust policy of a function's own role: only Lambda may assume it. */
export const lambdaTrust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
}

/** Writing its own log group (osls names it /aws/lambda/<service>-<stage>-<function>) and traces. */
export const logsAndTraces = (functionName: string) => [
  {
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: arnIn('logs', `log-group:/aws/lambda/\${self:service}-\${sls:stage}-${functionName}:*`),
  },
  {
    // X-Ray's segment APIs have no resource-level permissions: `*` is the only resource AWS accepts.
    Effect: 'Allow',
    Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    Resource: '*',
  },
]

/** A role for one function: Lambda may assume it, and it may do `statements` and write its logs and traces. */
export const functionRole = (functionName: string, statements: readonly object[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: lambdaTrust,
    Policies: [
      {
        PolicyName: functionName,
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [...logsAndTraces(functionName), ...statements],
        },
      },
    ],
  },
})

/** The logical ID of a function's own role: `<Function>Role`, as osls names the function `<Function>LambdaFunction`. */
export const roleLogicalIdOf = (functionName: string) => `${functionName}Role`

/** One role per function (see functionRole), each under roleLogicalIdOf(its name). */
export const functionRoles = (statementsByFunction: Record<string, readonly object[]>): CfnResources =>
  Object.fromEntries(
    Object.entries(statementsByFunction).map(([functionName, statements]) => [
      roleLogicalIdOf(functionName),
      functionRole(functionName, statements),
    ]),
  )

/** The role logical ID of each function in `statementsByFunction`, for the functions' `role:` keys. */
export const roleLogicalIdsOf = <Name extends string>(
  statementsByFunction: Record<Name, readonly object[]>,
): Record<Name, string> =>
  Object.fromEntries(
    Object.keys(statementsByFunction).map((functionName) => [functionName, roleLogicalIdOf(functionName)]),
  ) as Record<Name, string>

/** An Allow statement: `actions` on `resource` (one ARN or a list). */
export const allow = (actions: readonly string[], resource: unknown) => ({
  Effect: 'Allow',
  Action: [...actions],
  Resource: resource,
})

/** The ARN of a table, bucket or queue declared in this template. */
export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] })

/** The ARN of one global secondary index of a table declared in this template. */
export const indexArnOf = (tableLogicalId: string, indexName: string) => ({
  'Fn::Join': ['/', [arnOf(tableLogicalId), 'index', indexName]],
})

/** The ARN of every object in a bucket declared in this template. */
export const objectsArnOf = (bucketLogicalId: string) => ({
  'Fn::Join': ['', [arnOf(bucketLogicalId), '/*']],
})
