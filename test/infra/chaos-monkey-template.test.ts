import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { loadServiceDefinition } from '#local/serverless/service-definition.ts'
import {
  asArray,
  packagedTemplate,
  repoRoot,
  type Statement,
  type Template,
  templateReader,
} from './cloudformation-template.ts'

// Packages the service with osls, offline, and reads what the chaos monkey becomes in the template.

const queueArn = { 'Fn::GetAtt': ['AsyncFailuresQueue', 'Arn'] }
const functionArn = { 'Fn::GetAtt': ['ChaosMonkeyLambdaFunction', 'Arn'] }

let template: Template = { Resources: {} }
const { resource, resourcesOfType, lambda, environmentOf, roleStatements } = templateReader(() => template)

/** The template's Events::Rule resources that invoke the chaos monkey. */
const chaosRules = () =>
  resourcesOfType('AWS::Events::Rule').filter(([, rule]) =>
    (rule.Properties.Targets as Array<{ Arn: unknown }>).some(
      (target) => JSON.stringify(target.Arn) === JSON.stringify(functionArn),
    ),
  )

describe("the chaos monkey's packaged template", () => {
  before(async () => {
    template = await packagedTemplate()
  })

  it('declares the function, on a role of its own, in dry-run against EC2 with the opt-in tag', () => {
    assert.equal(lambda('ChaosMonkey').Handler, 'src/handlers/schedule/chaos-monkey.handler')
    assert.deepEqual(lambda('ChaosMonkey').Role, { 'Fn::GetAtt': ['ChaosMonkeyRole', 'Arn'] })
    const environment = environmentOf('ChaosMonkey')
    assert.deepEqual(
      {
        CHAOS_FLEET: environment.CHAOS_FLEET,
        CHAOS_MODE: environment.CHAOS_MODE,
        CHAOS_TAG_KEY: environment.CHAOS_TAG_KEY,
        CHAOS_TAG_VALUE: environment.CHAOS_TAG_VALUE,
      },
      { CHAOS_FLEET: 'ec2', CHAOS_MODE: 'dry-run', CHAOS_TAG_KEY: 'chaos-monkey', CHAOS_TAG_VALUE: 'opt-in' },
    )
  })

  it('schedules it with one EventBridge rule, DISABLED in the dev stage, which alone may invoke it', () => {
    const rules = chaosRules()
    assert.equal(rules.length, 1)
    const [[ruleId, rule]] = rules as [[string, (typeof rules)[number][1]]]
    assert.equal(rule.Properties.State, 'DISABLED')
    assert.equal(rule.Properties.ScheduleExpression, 'cron(0 9-16 ? * MON-FRI *)')
    const permissions = resourcesOfType('AWS::Lambda::Permission').filter(
      ([, permission]) => JSON.stringify(permission.Properties.FunctionName) === JSON.stringify(functionArn),
    )
    assert.deepEqual(
      permissions.map(([, permission]) => permission.Properties),
      [
        {
          FunctionName: functionArn,
          Action: 'lambda:InvokeFunction',
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
        },
      ],
    )
  })

  it('never retries a round, drops one queued for 15 minutes, and sends failures to the queue', () => {
    assert.deepEqual(resource('ChaosMonkeyLambdaEvConf').Properties, {
      FunctionName: { Ref: 'ChaosMonkeyLambdaFunction' },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 900,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    })
  })

  it('lets the role describe instances, terminate only opted-in ones, write its logs and traces and the queue', () => {
    const role = resource('ChaosMonkeyRole').Properties
    assert.deepEqual(role.AssumeRolePolicyDocument, {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    })
    const statements = roleStatements('ChaosMonkeyRole')
    const byAction = (action: string): Statement[] =>
      statements.filter((statement) => asArray(statement.Action).includes(action))
    assert.deepEqual(statements.flatMap((statement) => asArray(statement.Action)).sort(), [
      'ec2:DescribeInstances',
      'ec2:TerminateInstances',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sqs:SendMessage',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ])
    for (const statement of statements) assert.equal(statement.Effect, 'Allow')

    const [terminate, ...otherTerminates] = byAction('ec2:TerminateInstances')
    assert.deepEqual(otherTerminates, [])
    assert.deepEqual(terminate?.Condition, { StringEquals: { 'aws:ResourceTag/chaos-monkey': 'opt-in' } })
    assert.match(JSON.stringify(terminate?.Resource), /":instance\/\*"/)
    assert.deepEqual(asArray(terminate?.Action), ['ec2:TerminateInstances'])

    // `*` only where AWS accepts nothing narrower: EC2 Describe* and X-Ray.
    const unscoped = statements.filter((statement) => asArray(statement.Resource).includes('*'))
    assert.deepEqual(unscoped.flatMap((statement) => asArray(statement.Action)).sort(), [
      'ec2:DescribeInstances',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ])
    assert.deepEqual(byAction('sqs:SendMessage')[0]?.Resource, queueArn)
    assert.match(
      JSON.stringify(byAction('logs:PutLogEvents')[0]?.Resource),
      /log-group:\/aws\/lambda\/udagram-dev-ChaosMonkey:\*/,
    )
  })

  it('grants no EC2 action to any other role', () => {
    const others = resourcesOfType('AWS::IAM::Role')
      .map(([logicalId]) => logicalId)
      // CodeDeploy's role has AWS's managed policy for Lambda deployments only, no inline statements.
      .filter((logicalId) => logicalId !== 'ChaosMonkeyRole' && logicalId !== 'CodeDeployServiceRole')
    for (const logicalId of others) {
      const actions = roleStatements(logicalId).flatMap((statement) => asArray(statement.Action))
      assert.deepEqual(
        actions.filter((action) => action.startsWith('ec2:') || action === '*'),
        [],
        logicalId,
      )
    }
  })
})

describe("the chaos monkey's stage params", () => {
  const scheduleOf = async (stage: string, params: Record<string, string> = {}) => {
    const definition = await loadServiceDefinition({ projectRoot: repoRoot, stage, params, env: {} })
    const fn = definition.functions.get('ChaosMonkey')
    const [event] = fn?.events ?? []
    const schedule = event && 'schedule' in event ? (event.schedule as { enabled: unknown }) : undefined
    return { enabled: schedule?.enabled, mode: fn?.environment.CHAOS_MODE }
  }

  it('leave it off everywhere but prod, and in dry-run everywhere, unless a --param says otherwise', async () => {
    assert.deepEqual(await scheduleOf('dev'), { enabled: 'false', mode: 'dry-run' })
    assert.deepEqual(await scheduleOf('staging'), { enabled: 'false', mode: 'dry-run' })
    assert.deepEqual(await scheduleOf('prod'), { enabled: 'true', mode: 'dry-run' })
    assert.deepEqual(await scheduleOf('dev', { chaosMonkeyEnabled: 'true', chaosMonkeyMode: 'terminate' }), {
      enabled: 'true',
      mode: 'terminate',
    })
  })
})
