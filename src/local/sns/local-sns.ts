import { randomBytes, randomUUID } from 'node:crypto'
import type { AsyncEventInvoker } from '../lambda/async/async-invoker.ts'
import type { LocalFunctionDefinition } from '../serverless/service-definition.ts'
import type { FilterableAttribute } from './filter-policy.ts'
import { snsLambdaEvent } from './sns-envelope.ts'
import { SnsError } from './sns-error.ts'
import { type PublishInput, validatePublishInput } from './sns-message.ts'
import { type SnsSubscription, snsSubscriptionsFrom } from './sns-subscriptions.ts'
import {
  type CfnResource,
  resolveCfnString,
  type TopicReferenceContext,
  topicArnFor,
  topicNameOf,
} from './topic-references.ts'

export type { PublishInput, SnsMessageAttributeValue } from './sns-message.ts'

export interface LocalSnsOptions {
  /** The CloudFormation Resources of serverless.ts. */
  resources: Record<string, CfnResource>
  functions: Map<string, LocalFunctionDefinition>
  region: string
  accountId: string
  asyncInvoker: AsyncEventInvoker
  now?: () => Date
}

/**
 * SNS topics and their Lambda subscriptions, read from serverless.ts: the `AWS::SNS::Topic`
 * resources, the topics osls creates for `sns` events that name one, and every function's `sns`
 * events. A publish is delivered to each subscribed function whose filter policy matches, by
 * asynchronous invocation with the envelope SNS builds, as SNS delivers to Lambda.
 */
export class LocalSns {
  readonly #context: TopicReferenceContext
  readonly #invoker: AsyncEventInvoker
  readonly #now: () => Date
  readonly #arnsByLogicalId = new Map<string, string>()
  readonly #subscriptionsByTopic = new Map<string, SnsSubscription[]>()

  /** Throws, naming the place in serverless.ts, on a topic reference or filter policy it cannot honour. */
  constructor(options: LocalSnsOptions) {
    this.#context = { resources: options.resources, region: options.region, accountId: options.accountId }
    this.#invoker = options.asyncInvoker
    this.#now = options.now ?? (() => new Date())
    for (const [logicalId, resource] of Object.entries(options.resources)) {
      if (resource.Type !== 'AWS::SNS::Topic') continue
      const arn = topicArnFor(topicNameOf(logicalId, this.#context), this.#context)
      this.#arnsByLogicalId.set(logicalId, arn)
      this.#subscriptionsByTopic.set(arn, [])
    }
    const { subscriptions, implicitTopics } = snsSubscriptionsFrom(options.functions, this.#context)
    for (const topic of implicitTopics) {
      if (!this.#arnsByLogicalId.has(topic.logicalId)) this.#arnsByLogicalId.set(topic.logicalId, topic.arn)
    }
    for (const subscription of subscriptions) {
      const list = this.#subscriptionsByTopic.get(subscription.topicArn) ?? []
      list.push(subscription)
      this.#subscriptionsByTopic.set(subscription.topicArn, list)
    }
  }

  /** The ARN of a topic resource (or of a topic osls creates for an `sns` event) by logical id. */
  topicArnOf(logicalId: string): string {
    const arn = this.#arnsByLogicalId.get(logicalId)
    if (arn === undefined) throw new Error(`no SNS topic ${logicalId} in serverless.ts`)
    return arn
  }

  hasTopic(topicArn: string): boolean {
    return this.#subscriptionsByTopic.has(topicArn)
  }

  /** Resolves how serverless.ts names a topic elsewhere (an ARN, `Ref`, `Fn::Join`…) to its ARN. */
  resolveTopicArn(value: unknown, where: string): string {
    return resolveCfnString(value, this.#context, where)
  }

  /**
   * Accepts the message and hands it to every matching subscription before returning, as SNS
   * acknowledges a publish once it has stored it. `NotFound` for a topic serverless.ts does not
   * define, `InvalidParameter` for a message SNS would refuse.
   */
  publish(input: PublishInput): { messageId: string } {
    const subscriptions = this.#subscriptionsByTopic.get(input.topicArn)
    if (subscriptions === undefined) throw new SnsError('NotFound', `Topic does not exist: ${input.topicArn}`)
    const messageAttributes = validatePublishInput(input)
    const notification = {
      messageId: randomUUID(),
      topicArn: input.topicArn,
      subject: input.subject,
      message: input.message,
      timestamp: this.#now().toISOString(),
      messageAttributes,
      signature: randomBytes(256).toString('base64'),
      region: this.#context.region,
    }
    const filterable = {
      attributes: Object.fromEntries(
        Object.entries(messageAttributes).map(([name, { Type, Value }]) => [
          name,
          { type: Type, value: Value } satisfies FilterableAttribute,
        ]),
      ),
      body: input.message,
    }
    for (const subscription of subscriptions) {
      if (subscription.filter !== undefined && !subscription.filter.matches(filterable)) continue
      this.#invoker.invokeAsync(
        subscription.functionName,
        snsLambdaEvent(notification, subscription.subscriptionArn),
        {
          source: 'sns',
        },
      )
    }
    return { messageId: notification.messageId }
  }
}
