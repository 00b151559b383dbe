// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud

import type { Functions } from '../functions/types.ts'
import type { CfnResources } from '../resources/types.ts'

/** The stages whose API functions are deployed gradually; the others switch at once. */
export const gradualDeploymentStages = ['staging', 'prod']
export const gradualDeploymentCondition = 'DeploysGradually'
const codeDeployRoleLogicalId = 'CodeDeployServiceRole'
const errorsAlarmOf = (functionName: string) => `${functionName}ErrorsAlarm`

export const gradualDeploymentConditions = {
  [gradualDeploymentCondition]: {
    'Fn::Or': gradualDeploymentStages.map((stage) => ({ 'Fn::Equals': ['${sls:stage}', stage] })),
  },
}

/**
 * serverless-plugin-canary-deployments' settings: which stages, and the role CodeDeploy shifts traffic
 * with. The plugin's own role carries AWSLambda_FullAccess; this one only AWS's managed policy for
 * Lambda deployments (update an alias, read the function and the alarms, invoke hooks).
 */
export const deploymentSettings = {
  stages: gradualDeploymentStages,
  codeDeployRole: { 'Fn::GetAtt': [codeDeployRoleLogicalId, 'Arn'] },
}

/**
 * The API's functions, each deployed through its `Live` alias: a new version gets 10 % of the traffic
 * for `${param:gradualDeploymentType}`, and CodeDeploy rolls it back if the function's errors alarm goes
 * off meanwhile. Only functions behind `http` events: the plugin leaves the REST authorizer's URI on
 * the function while it moves its permission to the alias (API Gateway could then no longer call it),
 * and it leaves asynchronous invocation settings on $LATEST while SNS would invoke the alias, so the
 * authorizers and the event-driven functions stay out (measured in the osls deploy notes).
 */
export function deployedGradually(functions: Functions): Functions {
  return Object.fromEntries(
    Object.entries(functions).map(([name, fn]) => [
      name,
      hasHttpEvent(fn)
        ? {
            ...fn,
            deploymentSettings: {
              type: '${param:gradualDeploymentType}',
              alias: 'Live',
              alarms: [errorsAlarmOf(name)],
            },
          }
        : fn,
    ]),
  )
}

const hasHttpEvent = (fn: Functions[string]) =>
  (fn.events ?? []).some((event) => typeof event === 'object' && 'http' in event)

/** One alarm per gradually deployed function: any error within a minute rolls the deployment back. */
export function gradualDeploymentResources(functions: Functions): CfnResources {
  const alarms: CfnResources = {}
  for (const [name, fn] of Object.entries(functions)) {
    if (fn.deploymentSettings === undefined) continue
    alarms[errorsAlarmOf(name)] = {
      Type: 'AWS::CloudWatch::Alarm',
      Condition: gradualDeploymentCondition,
      Properties: {
        AlarmDescription: `${name} failed during a deployment: CodeDeploy rolls the new version back`,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: `${name}LambdaFunction` } }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      },
    }
  }
  return {
    ...alarms,
    [codeDeployRoleLogicalId]: {
      Type: 'AWS::IAM::Role',
      Condition: gradualDeploymentCondition,
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        ManagedPolicyArns: [
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited',
              ],
            ],
          },
        ],
      },
    },
  }
}
