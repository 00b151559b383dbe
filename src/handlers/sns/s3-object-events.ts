import type { SNSEvent } from 'aws-lambda'

/** One object an S3 ObjectCreated notification is about. */
export interface CreatedObject {
  bucket: string
  key: string
  size: number
  /** When S3 stored the object (the record's eventTime), when the record says. */
  createdAt?: Date
}

/** What an S3 event record is expected to hold; every field is checked before use. */
interface S3RecordShape {
  eventName?: unknown
  eventTime?: unknown
  s3?: { bucket?: { name?: unknown }; object?: { key?: unknown; size?: unknown } }
}

/**
 * The objects named in an SNS delivery of S3 event notifications. Malformed envelopes throw: the
 * delivery is retried and then dead-lettered, where it can be looked at. S3's test event (sent when a
 * notification configuration is saved) and other event types yield nothing.
 */
export function createdObjectsOf(event: SNSEvent): CreatedObject[] {
  if (!Array.isArray(event?.Records)) throw new Error('not an SNS event: no Records')
  const objects: CreatedObject[] = []
  for (const record of event.Records) {
    const message = record?.Sns?.Message
    if (typeof message !== 'string') throw new Error('SNS record without a Message')
    const s3Event = JSON.parse(message) as { Event?: string; Records?: unknown }
    if (s3Event.Event === 's3:TestEvent') continue
    if (!Array.isArray(s3Event.Records)) throw new Error('SNS message is not an S3 event notification')
    for (const s3Record of s3Event.Records as S3RecordShape[]) {
      if (typeof s3Record.eventName !== 'string' || !s3Record.eventName.startsWith('ObjectCreated:')) continue
      const bucket = s3Record.s3?.bucket?.name
      const key = s3Record.s3?.object?.key
      const size = s3Record.s3?.object?.size
      if (typeof bucket !== 'string' || typeof key !== 'string' || typeof size !== 'number') {
        throw new Error('S3 record without bucket name, object key or size')
      }
      // S3 event keys are URL-encoded with spaces as '+'.
      const object: CreatedObject = { bucket, key: decodeURIComponent(key.replace(/\+/g, ' ')), size }
      const createdAt = timeOf(s3Record.eventTime)
      if (createdAt !== undefined) object.createdAt = createdAt
      objects.push(object)
    }
  }
  return objects
}

function timeOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined
  const time = new Date(value)
  return Number.isNaN(time.getTime()) ? undefined : time
}
