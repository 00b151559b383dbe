import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import serverless from '../../serverless.ts'
import { packagedTemplate, type Template, templateReader } from './cloudformation-template.ts'

// Packages the real service with osls, offline, and checks what it deploys to watch itself: the
// alarms and the topic they notify, X-Ray tracing, log retention and the Powertools settings.

let template: Template = { Resources: {} }
const { resource, resourcesOfType, lambda, environmentOf } = templateReader(() => template)

const alarmTopic = [{ Ref: 'AlarmTopic' }]
const functionNames = () =>
  resourcesOfType('AWS::Lambda::Function').map(([id]) => id.replace(/LambdaFunction$/, ''))
const alarmOn = (metricName: string) => {
  const found = resourcesOfType('AWS::CloudWatch::Alarm').filter(
    ([, alarm]) => alarm.Properties.MetricName === metricName,
  )
  assert.equal(found.length, 1, `one alarm on ${metricName}`)
  return (found[0] as [string, { Properties: Record<string, unknown> }])[1].Properties
}

describe('the packaged template, for observability', () => {
  before(async () => {
    template = await packagedTemplate()
  })

  it('has four alarms, each notifying the alarm topic when it fires and clears, and quiet without data', () => {
    // The gradual deployments' rollback alarms are test/infra/gradual-deployment.test.ts's.
    const alarms = resourcesOfType('AWS::CloudWatch::Alarm').filter(
      ([, alarm]) => (alarm as { Condition?: string }).Condition !== 'DeploysGradually',
    )
    assert.deepEqual(alarms.map(([, alarm]) => alarm.Properties.MetricName).sort(), [
      '5XXError',
      'ApproximateNumberOfMessagesVisible',
      'IteratorAge',
      'ThumbnailFailures',
    ])
    for (const [id, { Properties }] of alarms) {
      assert.deepEqual(Properties.AlarmActions, alarmTopic, id)
      assert.deepEqual(Properties.OKActions, alarmTopic, id)
      assert.equal(Properties.TreatMissingData, 'notBreaching', id)
      assert.match(String(Properties.AlarmName), /^udagram-dev-/, id)
    }
    assert.equal(resource('AlarmTopic').Type, 'AWS::SNS::Topic')
    assert.equal(
      resource('AlarmTopic').Properties.Subscription,
      undefined,
      "subscribing is the operator's choice",
    )
  })

  it('alarms as soon as the failures queue holds a message', () => {
    const alarm = alarmOn('ApproximateNumberOfMessagesVisible')
    assert.equal(alarm.Namespace, 'AWS/SQS')
    assert.deepEqual(alarm.Dimensions, [
      { Name: 'QueueName', Value: { 'Fn::GetAtt': ['AsyncFailuresQueue', 'QueueName'] } },
    ])
    assert.equal(resource('AsyncFailuresQueue').Type, 'AWS::SQS::Queue')
    assert.equal(alarm.Statistic, 'Maximum')
    assert.equal(alarm.Threshold, 0)
    assert.equal(alarm.ComparisonOperator, 'GreaterThanThreshold')
  })

  it('alarms on ThumbnailFailures with exactly the namespace and dimensions the thumbnail function emits it with', () => {
    const alarm = alarmOn('ThumbnailFailures')
    const emitted = environmentOf('ResizeImage')
    // src/handlers/shared/observability.ts: namespace from POWERTOOLS_METRICS_NAMESPACE, dimensions
    // service (POWERTOOLS_SERVICE_NAME) and stage (STAGE); the handler tests check the EMF lines.
    assert.equal(alarm.Namespace, emitted.POWERTOOLS_METRICS_NAMESPACE)
    assert.equal(alarm.Namespace, 'Udagram')
    assert.deepEqual(alarm.Dimensions, [
      { Name: 'service', Value: emitted.POWERTOOLS_SERVICE_NAME },
      { Name: 'stage', Value: emitted.STAGE },
    ])
    assert.equal(alarm.Statistic, 'Sum')
    assert.equal(alarm.Threshold, 5)
    assert.equal(alarm.ComparisonOperator, 'GreaterThanOrEqualToThreshold')
  })

  it("alarms on the rate of 5XX answers of this REST API's stage, by the name osls gives the API", () => {
    const alarm = alarmOn('5XXError')
    const [[, restApi] = []] = resourcesOfType('AWS::ApiGateway::RestApi')
    const [[, deployment] = []] = resourcesOfType('AWS::ApiGateway::Deployment')
    assert.equal(alarm.Namespace, 'AWS/ApiGateway')
    assert.deepEqual(alarm.Dimensions, [
      { Name: 'ApiName', Value: restApi?.Properties.Name },
      { Name: 'Stage', Value: deployment?.Properties.StageName },
    ])
    assert.equal(alarm.Statistic, 'Average')
    assert.equal(alarm.Threshold, 0.05)
    assert.equal(alarm.ComparisonOperator, 'GreaterThanThreshold')
  })

  it("alarms when the indexer falls behind the Images table's stream", () => {
    const alarm = alarmOn('IteratorAge')
    assert.equal(alarm.Namespace, 'AWS/Lambda')
    assert.deepEqual(alarm.Dimensions, [
      { Name: 'FunctionName', Value: { Ref: 'IndexImagesLambdaFunction' } },
    ])
    const streamMappings = resourcesOfType('AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) =>
        JSON.stringify(mapping.Properties.FunctionName).includes('IndexImagesLambdaFunction') &&
        JSON.stringify(mapping.Properties.EventSourceArn).includes('StreamArn'),
    )
    assert.equal(streamMappings.length, 1, 'IndexImages reads a DynamoDB stream')
    assert.equal(alarm.Statistic, 'Maximum')
    assert.equal(alarm.Threshold, 60_000)
    assert.equal(alarm.ComparisonOperator, 'GreaterThanThreshold')
  })

  it('traces every function actively, and the REST API too', () => {
    assert.ok(functionNames().length >= 20)
    for (const name of functionNames()) assert.deepEqual(lambda(name).TracingConfig, { Mode: 'Active' }, name)
    // osls turns API Gateway tracing on with an API call after the deploy (its api-gateway
    // hack/update-stage.js), not in the template: what it acts on is this setting.
    assert.deepEqual(serverless.provider.tracing, { apiGateway: true, lambda: true })
    const [[, deployment] = []] = resourcesOfType('AWS::ApiGateway::Deployment')
    const stage = deployment?.Properties.StageDescription as { TracingEnabled?: boolean } | undefined
    assert.notEqual(stage?.TracingEnabled, false, 'no stage setting turns it off again')
  })

  it('keeps every log group for a set time, and every function has one', () => {
    const logGroups = resourcesOfType('AWS::Logs::LogGroup')
    for (const [id, group] of logGroups) assert.equal(group.Properties.RetentionInDays, 14, id)
    for (const name of functionNames())
      assert.ok(template.Resources[`${name}LogGroup`], `${name} has a log group`)
  })

  it('gives every function the metrics namespace and a debug sampling rate, and never logs events', () => {
    for (const name of functionNames()) {
      const environment = environmentOf(name)
      assert.equal(environment.POWERTOOLS_METRICS_NAMESPACE, 'Udagram', name)
      const rate = Number(environment.POWERTOOLS_LOGGER_SAMPLE_RATE)
      assert.ok(rate > 0 && rate <= 1, `${name}: POWERTOOLS_LOGGER_SAMPLE_RATE ${rate}`)
      assert.equal(environment.POWERTOOLS_LOGGER_LOG_EVENT, undefined, name)
      assert.notEqual(environment.POWERTOOLS_TRACE_ENABLED, 'false', name)
    }
  })
})
