// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ConfigName} is CloudFormation's Fn::Sub placeholder
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { packagedTemplate, type Template, templateReader } from './cloudformation-template.ts'

// serverless-plugin-canary-deployments on the API's functions, in staging and prod only.

const apiFunctions = [
  'CreateGroup',
  'CreateImage',
  'DeleteGroup',
  'DeleteImage',
  'GetGroup',
  'GetGroupImages',
  'GetGroups',
  'GetImage',
  'SearchImages',
]

for (const [stage, deploymentType] of [
  ['prod', 'Canary10Percent5Minutes'],
  ['staging', 'Linear10PercentEvery1Minute'],
] as const) {
  describe(`gradual deployments in ${stage}`, () => {
    let template: Template = { Resources: {} }
    const { resource, resourcesOfType } = templateReader(() => template)
    before(async () => {
      template = await packagedTemplate(stage)
    })

    it(`shifts each API function's traffic ${deploymentType}, rolled back by its errors alarm`, () => {
      const groups = resourcesOfType('AWS::CodeDeploy::DeploymentGroup')
      assert.deepEqual(
        groups.map(([logicalId]) => logicalId).sort(),
        apiFunctions.map((name) => `${name}LambdaFunctionDeploymentGroup`).sort(),
      )
      for (const name of apiFunctions) {
        const group = resource(`${name}LambdaFunctionDeploymentGroup`).Properties
        assert.deepEqual(group.DeploymentConfigName, {
          'Fn::Sub': ['CodeDeployDefault.Lambda${ConfigName}', { ConfigName: deploymentType }],
        })
        assert.deepEqual(group.AlarmConfiguration, {
          Alarms: [{ Name: { Ref: `${name}ErrorsAlarm` } }],
          Enabled: true,
        })
        assert.deepEqual((group.AutoRollbackConfiguration as { Enabled: boolean }).Enabled, true)
        assert.deepEqual(group.ServiceRoleArn, { 'Fn::GetAtt': ['CodeDeployServiceRole', 'Arn'] })
        const alarm = resource(`${name}ErrorsAlarm`).Properties
        assert.deepEqual(
          [alarm.Namespace, alarm.MetricName, alarm.Dimensions, alarm.Threshold, alarm.ComparisonOperator],
          [
            'AWS/Lambda',
            'Errors',
            [{ Name: 'FunctionName', Value: { Ref: `${name}LambdaFunction` } }],
            1,
            'GreaterThanOrEqualToThreshold',
          ],
        )
        assert.equal(resource(`${name}LambdaFunctionAliasLive`).Type, 'AWS::Lambda::Alias')
      }
    })

    it('has API Gateway call the Live aliases, and keeps the authorizer and the event-driven functions out', () => {
      const uris = resourcesOfType('AWS::ApiGateway::Method')
        .map(([, method]) =>
          JSON.stringify((method.Properties.Integration as { Uri?: unknown } | undefined)?.Uri ?? ''),
        )
        .filter((uri) => uri.includes('lambda:path'))
      assert.ok(uris.length >= apiFunctions.length)
      for (const uri of uris) assert.match(uri, /LambdaFunctionAliasLive/)
      // The plugin would leave the authorizer's URI on the function and move its permission to an alias.
      assert.doesNotMatch(
        JSON.stringify(resource('AuthorizerApiGatewayAuthorizer').Properties.AuthorizerUri),
        /Alias/,
      )
      assert.equal(template.Resources.AuthorizerLambdaFunctionAliasLive, undefined)
      // Its asynchronous settings would stay on $LATEST while SNS invoked the alias.
      for (const name of ['ResizeImage', 'SendUploadNotifications', 'IndexImages', 'ChaosMonkey']) {
        assert.equal(template.Resources[`${name}LambdaFunctionAliasLive`], undefined, name)
      }
    })

    it("lets CodeDeploy's role do only what AWS's policy for Lambda deployments allows", () => {
      const role = resource('CodeDeployServiceRole')
      assert.equal((role as { Condition?: string }).Condition, 'DeploysGradually')
      assert.deepEqual(role.Properties.AssumeRolePolicyDocument, {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      })
      assert.deepEqual(role.Properties.ManagedPolicyArns, [
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
      ])
      assert.equal(role.Properties.Policies, undefined)
    })
  })
}

describe('deployments in dev', () => {
  let template: Template = { Resources: {} }
  const { resourcesOfType } = templateReader(() => template)
  before(async () => {
    template = await packagedTemplate('dev')
  })

  it('switch at once: no CodeDeploy, no aliases, and the rollback alarms and role only on gradual stages', () => {
    assert.deepEqual(resourcesOfType('AWS::CodeDeploy::DeploymentGroup'), [])
    assert.deepEqual(resourcesOfType('AWS::Lambda::Alias'), [])
    const conditions = (template as { Conditions?: Record<string, unknown> }).Conditions
    assert.deepEqual(conditions?.DeploysGradually, {
      'Fn::Or': [{ 'Fn::Equals': ['dev', 'staging'] }, { 'Fn::Equals': ['dev', 'prod'] }],
    })
    const gradualOnly = Object.entries(template.Resources).filter(
      ([, candidate]) => (candidate as { Condition?: string }).Condition === 'DeploysGradually',
    )
    assert.deepEqual(
      gradualOnly.map(([logicalId]) => logicalId).sort(),
      ['CodeDeployServiceRole', ...apiFunctions.map((name) => `${name}ErrorsAlarm`)].sort(),
    )
  })
})
