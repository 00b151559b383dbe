// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import { environment } from '../environment.ts'
import { asyncFailuresQueueLogicalId } from './async-failures-queue.ts'
import type { CfnResources } from './types.ts'

export const alarmTopicLogicalId = 'AlarmTopic'

/** The REST API as osls names it (`{stage}-{service}`): API Gateway's metrics are keyed by that name. */
export const restApiName = '${sls:stage}-${self:service}'

/**
 * The dimensions the functions emit their business metrics with (src/handlers/shared/observability.ts):
 * an alarm matches a metric only when its dimensions are exactly these.
 */
export const businessMetricDimensions = [
  { Name: 'service', Value: environment.POWERTOOLS_SERVICE_NAME },
  { Name: 'stage', Value: '${sls:stage}' },
]

/** One alarm: notifies the alarm topic when it fires and when it clears; no data is no trouble. */
function alarm(name: string, description: string, metric: Record<string, unknown>) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: `\${self:service}-\${sls:stage}-${name}`,
      AlarmDescription: description,
      ...metric,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopicLogicalId }],
      OKActions: [{ Ref: alarmTopicLogicalId }],
    },
  }
}

/**
 * The alarms on what means trouble, and the topic they notify. Nobody is subscribed to the topic:
 * who gets paged, and how, is the operator's choice (README, "Observability on AWS"). The topic is
 * not encrypted: CloudWatch can publish only to a topic whose KMS key policy lets it, and an alarm
 * notification holds nothing but the alarm's own state.
 */
export const alarms: CfnResources = {
  [alarmTopicLogicalId]: {
    Type: 'AWS::SNS::Topic',
    Properties: { TopicName: '${self:service}-${sls:stage}-alarms' },
  },
  DeadLettersAlarm: alarm(
    'dead-letters',
    'An upload event failed all its retries: it waits in the failures queue (npm run dlq shows how to read it).',
    {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [asyncFailuresQueueLogicalId, 'QueueName'] } },
      ],
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    },
  ),
  ThumbnailFailuresAlarm: alarm(
    'thumbnail-failures',
    'Five or more uploads in five minutes got no thumbnail (rejected as not an allowed image, or processing threw).',
    {
      Namespace: environment.POWERTOOLS_METRICS_NAMESPACE,
      MetricName: 'ThumbnailFailures',
      Dimensions: businessMetricDimensions,
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    },
  ),
  Api5xxAlarm: alarm('api-5xx', 'More than 5% of REST API requests answered 5XX for three minutes running.', {
    Namespace: 'AWS/ApiGateway',
    MetricName: '5XXError',
    Dimensions: [
      { Name: 'ApiName', Value: restApiName },
      { Name: 'Stage', Value: '${sls:stage}' },
    ],
    // 5XXError is 1 per failed request and 0 per other one: its average is the failure rate.
    Statistic: 'Average',
    Period: 60,
    EvaluationPeriods: 3,
    Threshold: 0.05,
    ComparisonOperator: 'GreaterThanThreshold',
  }),
  IndexerIteratorAgeAlarm: alarm(
    'indexer-iterator-age',
    'The search indexer is more than a minute behind the Images table stream for five minutes: search results are stale.',
    {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'IndexImagesLambdaFunction' } }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 5,
      Threshold: 60_000,
      ComparisonOperator: 'GreaterThanThreshold',
    },
  ),
}
