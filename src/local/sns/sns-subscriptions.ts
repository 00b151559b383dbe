import { randomUUID } from 'node:crypto'
import type { LocalFunctionDefinition } from '../serverless/service-definition.ts'
import { type CompiledFilterPolicy, compileFilterPolicy } from './filter-policy.ts'
import { resolveCfnString, type TopicReferenceContext, topicArnFor } from './topic-references.ts'

/** A function subscribed to a topic by one of its `sns` events. */
export interface SnsSubscription {
  functionName: string
  topicArn: string
  /** Fixed for the life of the local cloud, as a real subscription's ARN is. */
  subscriptionArn: string
  filter: CompiledFilterPolicy | undefined
}

/** A topic osls creates for an `sns` event that names a topic instead of pointing at one. */
export interface ImplicitTopic {
  /** osls's logical id for it: `SNSTopic` + the name's letters and digits. */
  logicalId: string
  arn: string
}

const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/

/**
 * The subscriptions of every function's `sns` events, in the forms osls accepts: `'topic-name'`,
 * `'arn:aws:sns:…'`, or `{ arn?, topicName?, filterPolicy?, filterPolicyScope? }` whose `arn` may be
 * a CloudFormation function (which osls requires `topicName` next to).
 */
export function snsSubscriptionsFrom(
  functions: Map<string, LocalFunctionDefinition>,
  context: TopicReferenceContext,
): { subscriptions: SnsSubscription[]; implicitTopics: ImplicitTopic[] } {
  const subscriptions: SnsSubscription[] = []
  const implicitTopics: ImplicitTopic[] = []
  for (const [functionName, definition] of functions) {
    definition.events.forEach((event, index) => {
      if (!('sns' in event) || event.sns === undefined) return
      const where = `function ${functionName}'s events[${index}].sns`
      const sns: unknown = event.sns
      const spec = typeof sns === 'string' ? fromString(sns) : (sns as SnsEventObject)
      let topicArn: string
      if (spec.arn !== undefined) {
        if (typeof spec.arn !== 'string' && spec.topicName === undefined) {
          throw new Error(
            `serverless.ts: ${where} needs topicName when arn is a CloudFormation function (osls requires it)`,
          )
        }
        topicArn = resolveCfnString(spec.arn, context, `${where}.arn`)
        if (!SNS_ARN.test(topicArn))
          throw new Error(`serverless.ts: ${where}.arn "${topicArn}" is not an SNS topic ARN`)
      } else if (typeof spec.topicName === 'string' && /^[\w-]{1,256}$/.test(spec.topicName)) {
        topicArn = topicArnFor(spec.topicName, context)
        implicitTopics.push({
          logicalId: `SNSTopic${upperFirst(spec.topicName.replace(/[^0-9A-Za-z]/g, ''))}`,
          arn: topicArn,
        })
      } else {
        throw new Error(
          `serverless.ts: ${where} names no topic: give a topic name, an ARN, or { arn, topicName }`,
        )
      }
      subscriptions.push({
        functionName,
        topicArn,
        subscriptionArn: `${topicArn}:${randomUUID()}`,
        filter:
          spec.filterPolicy === undefined
            ? undefined
            : compileFilterPolicy(
                spec.filterPolicy,
                spec.filterPolicyScope,
                `serverless.ts: ${where}.filterPolicy`,
              ),
      })
    })
  }
  return { subscriptions, implicitTopics }
}

interface SnsEventObject {
  arn?: unknown
  topicName?: unknown
  filterPolicy?: unknown
  filterPolicyScope?: unknown
}

function fromString(sns: string): SnsEventObject {
  return sns.startsWith('arn:') ? { arn: sns } : { topicName: sns }
}

function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1)
}
