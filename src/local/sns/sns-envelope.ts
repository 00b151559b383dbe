import type { SnsEnvelopeAttribute } from './sns-message.ts'

/** One published message, the same for every subscription it is delivered to. */
export interface SnsNotification {
  messageId: string
  topicArn: string
  subject: string | undefined
  message: string
  /** ISO 8601 with milliseconds, as SNS writes it. */
  timestamp: string
  messageAttributes: Record<string, SnsEnvelopeAttribute>
  /** Base64, like SNS's RSA signature, but signed by no one: nothing local can verify it. */
  signature: string
  region: string
}

/**
 * The event SNS invokes a subscribed function with. Typed here rather than with `aws-lambda`'s
 * `SNSEvent`, whose `Subject` cannot be null: SNS sends `null` when the message has no subject.
 */
export interface SnsLambdaEvent {
  Records: Array<{
    EventSource: 'aws:sns'
    EventVersion: '1.0'
    EventSubscriptionArn: string
    Sns: {
      Type: 'Notification'
      MessageId: string
      TopicArn: string
      Subject: string | null
      Message: string
      Timestamp: string
      SignatureVersion: '1'
      Signature: string
      SigningCertUrl: string
      UnsubscribeUrl: string
      MessageAttributes: Record<string, SnsEnvelopeAttribute>
    }
  }>
}

export function snsLambdaEvent(notification: SnsNotification, subscriptionArn: string): SnsLambdaEvent {
  const endpoint = `https://sns.${notification.region}.amazonaws.com`
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: notification.messageId,
          TopicArn: notification.topicArn,
          Subject: notification.subject ?? null,
          Message: notification.message,
          Timestamp: notification.timestamp,
          SignatureVersion: '1',
          Signature: notification.signature,
          SigningCertUrl: `${endpoint}/SimpleNotificationService-local.pem`,
          UnsubscribeUrl: `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes: notification.messageAttributes,
        },
      },
    ],
  }
}
