// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud

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
