import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SNSEvent } from 'aws-lambda'
import { createdObjectsOf } from '#handlers/sns/s3-object-events.ts'

function snsEvent(message: unknown): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:us-east-1:1:uploads:sub',
        Sns: {
          Type: 'Notification',
          MessageId: 'm',
          TopicArn: 'arn:aws:sns:us-east-1:1:uploads',
          Subject: 'Amazon S3 Notification',
          Message: typeof message === 'string' ? message : JSON.stringify(message),
          Timestamp: '2026-11-25T10:00:00.000Z',
          SignatureVersion: '1',
          Signature: 'x',
          SigningCertUrl: 'https://x',
          UnsubscribeUrl: 'https://x',
          MessageAttributes: {},
        },
      },
    ],
  }
}

const s3Record = (eventName: string, key: string) => ({
  eventName,
  s3: { bucket: { name: 'images' }, object: { key, size: 42, eTag: 'e' } },
})

describe('S3 notifications delivered by SNS', () => {
  it('yields the created objects, with keys decoded as S3 encodes them', () => {
    const objects = createdObjectsOf(
      snsEvent({
        Records: [
          s3Record('ObjectCreated:Put', 'my+photo%281%29.jpg'),
          s3Record('ObjectRemoved:Delete', 'gone'),
        ],
      }),
    )
    assert.deepEqual(objects, [{ bucket: 'images', key: 'my photo(1).jpg', size: 42 }])
  })

  it("skips S3's test event", () => {
    assert.deepEqual(createdObjectsOf(snsEvent({ Service: 'Amazon S3', Event: 's3:TestEvent' })), [])
  })

  it('throws on envelopes that are not S3 notifications, so the delivery is retried and dead-lettered', () => {
    assert.throws(() => createdObjectsOf({} as SNSEvent), /no Records/)
    assert.throws(() => createdObjectsOf(snsEvent('not json')))
    assert.throws(() => createdObjectsOf(snsEvent({ hello: 'world' })), /not an S3 event/)
    assert.throws(
      () => createdObjectsOf(snsEvent({ Records: [{ eventName: 'ObjectCreated:Put', s3: {} }] })),
      /without bucket/,
    )
  })
})
