import type { LocalS3, ObjectCreatedEvent } from '../s3/local-s3.ts'
import type { LocalSns } from '../sns/local-sns.ts'
import type { CfnResource } from '../sns/topic-references.ts'
import { type EventLogger, stderrEventLogger } from './event-logger.ts'
import { encodeS3EventKey, objectCreatedMessage } from './s3-event-record.ts'

export interface S3NotificationsOptions {
  s3: Pick<LocalS3, 'onObjectCreated'>
  /** The CloudFormation Resources of serverless.ts. */
  resources: Record<string, CfnResource>
  sns: Pick<LocalSns, 'publish' | 'resolveTopicArn' | 'hasTopic'>
  region: string
  accountId: string
  logger?: EventLogger
}

interface TopicNotification {
  configurationId: string
  topicArn: string
  event: string
  prefix: string | undefined
  suffix: string | undefined
}

/** What the local S3 emits: it stores objects by PutObject only. */
const EMITTED_EVENTS = new Set(['s3:ObjectCreated:*', 's3:ObjectCreated:Put'])
const UNEMULATED = ['LambdaConfigurations', 'QueueConfigurations', 'EventBridgeConfiguration'] as const

/**
 * S3 event notifications to SNS: for each bucket's `NotificationConfiguration.TopicConfigurations`,
 * every stored object whose event and key match publishes S3's event message to the topic, with the
 * subject S3 uses. Which functions run is then up to the topic's subscriptions, as on AWS.
 * Lambda, queue and EventBridge destinations are not emulated: each is warned about once, here.
 * Returns the unsubscribe function.
 */
export function wireS3Notifications(options: S3NotificationsOptions): () => void {
  const logger = options.logger ?? stderrEventLogger('local-s3-notifications')
  const byBucket = topicNotificationsByBucket(options, logger)
  if (byBucket.size === 0) return () => {}
  return options.s3.onObjectCreated((event) => {
    for (const notification of byBucket.get(event.bucket) ?? []) {
      if (!matches(notification, event)) continue
      try {
        options.sns.publish({
          topicArn: notification.topicArn,
          subject: 'Amazon S3 Notification',
          message: JSON.stringify(
            objectCreatedMessage(event, {
              region: options.region,
              configurationId: notification.configurationId,
              ownerPrincipalId: options.accountId,
            }),
          ),
        })
      } catch (error) {
        logger.error('S3 notification not published', {
          bucket: event.bucket,
          key: event.key,
          topicArn: notification.topicArn,
          error,
        })
      }
    }
  })
}

/**
 * S3 matches key filters against the key as its event records encode it: AWS tells you to write a
 * space as `+` and other special characters percent-encoded in filter values.
 */
function matches(notification: TopicNotification, event: ObjectCreatedEvent): boolean {
  if (!EMITTED_EVENTS.has(notification.event)) return false
  const key = encodeS3EventKey(event.key)
  return (
    (notification.prefix === undefined || key.startsWith(notification.prefix)) &&
    (notification.suffix === undefined || key.endsWith(notification.suffix))
  )
}

function topicNotificationsByBucket(
  options: S3NotificationsOptions,
  logger: EventLogger,
): Map<string, TopicNotification[]> {
  const byBucket = new Map<string, TopicNotification[]>()
  for (const [logicalId, resource] of Object.entries(options.resources)) {
    if (resource.Type !== 'AWS::S3::Bucket') continue
    const configuration = resource.Properties?.NotificationConfiguration as
      | Record<string, unknown>
      | undefined
    if (configuration === undefined) continue
    const bucketName = resource.Properties?.BucketName
    if (typeof bucketName !== 'string') {
      throw new Error(`resource ${logicalId}: the local cloud needs BucketName as a plain string`)
    }
    for (const kind of UNEMULATED) {
      if (configuration[kind] !== undefined) {
        logger.warn(`${kind} are not emulated locally; only TopicConfigurations are`, { bucket: bucketName })
      }
    }
    const topicConfigurations = configuration.TopicConfigurations ?? []
    if (!Array.isArray(topicConfigurations)) {
      throw new Error(`resource ${logicalId}: NotificationConfiguration.TopicConfigurations must be a list`)
    }
    const notifications = topicConfigurations.map((topicConfiguration: unknown, index) =>
      topicNotification(
        topicConfiguration,
        `${logicalId}.NotificationConfiguration.TopicConfigurations[${index}]`,
        {
          configurationId: `${logicalId}-TopicConfigurations-${index}`,
          sns: options.sns,
        },
      ),
    )
    if (notifications.length > 0) byBucket.set(bucketName, notifications)
  }
  return byBucket
}

function topicNotification(
  value: unknown,
  where: string,
  { configurationId, sns }: { configurationId: string; sns: S3NotificationsOptions['sns'] },
): TopicNotification {
  const configuration = (value ?? {}) as { Event?: unknown; Topic?: unknown; Filter?: unknown }
  if (typeof configuration.Event !== 'string' || !/^s3:[A-Za-z]+(:[A-Za-z*]+)?$/.test(configuration.Event)) {
    throw new Error(`serverless.ts: ${where}.Event must be an S3 event type such as s3:ObjectCreated:*`)
  }
  const topicArn = sns.resolveTopicArn(configuration.Topic, `${where}.Topic`)
  if (!sns.hasTopic(topicArn)) {
    throw new Error(`serverless.ts: ${where}.Topic is ${topicArn}, a topic serverless.ts does not define`)
  }
  return { configurationId, topicArn, event: configuration.Event, ...keyFilter(configuration.Filter, where) }
}

function keyFilter(
  filter: unknown,
  where: string,
): { prefix: string | undefined; suffix: string | undefined } {
  const rules = (filter as { S3Key?: { Rules?: unknown } } | undefined)?.S3Key?.Rules ?? []
  const found: { prefix: string | undefined; suffix: string | undefined } = {
    prefix: undefined,
    suffix: undefined,
  }
  if (!Array.isArray(rules)) throw new Error(`serverless.ts: ${where}.Filter.S3Key.Rules must be a list`)
  for (const rule of rules as Array<{ Name?: unknown; Value?: unknown }>) {
    const name = typeof rule.Name === 'string' ? rule.Name.toLowerCase() : undefined
    if ((name !== 'prefix' && name !== 'suffix') || typeof rule.Value !== 'string') {
      throw new Error(`serverless.ts: ${where}.Filter rules are { Name: prefix | suffix, Value: string }`)
    }
    // S3 refuses a configuration with two prefix (or two suffix) rules.
    if (found[name] !== undefined) throw new Error(`serverless.ts: ${where}.Filter has two ${name} rules`)
    found[name] = rule.Value
  }
  return found
}
