import { createHash } from 'node:crypto'
import type { ObjectCreatedEvent } from '../s3/local-s3.ts'

/** The S3 event message (version 2.1) that S3 sends to its notification destinations. */
export interface S3EventMessage {
  Records: Array<{
    eventVersion: '2.1'
    eventSource: 'aws:s3'
    awsRegion: string
    eventTime: string
    eventName: 'ObjectCreated:Put'
    userIdentity: { principalId: string }
    requestParameters: { sourceIPAddress: string }
    responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string }
    s3: {
      s3SchemaVersion: '1.0'
      configurationId: string
      bucket: { name: string; ownerIdentity: { principalId: string }; arn: string }
      object: { key: string; size: number; eTag: string; sequencer: string }
    }
  }>
}

export function objectCreatedMessage(
  event: ObjectCreatedEvent,
  options: { region: string; configurationId: string; ownerPrincipalId: string },
): S3EventMessage {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: options.region,
        eventTime: event.eventTime,
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: event.principalId },
        requestParameters: { sourceIPAddress: event.sourceIp },
        responseElements: {
          'x-amz-request-id': event.requestId,
          // An opaque base64 host id on S3; derived from the request id here, so it is stable per request.
          'x-amz-id-2': createHash('sha256').update(event.requestId).digest('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: options.configurationId,
          bucket: {
            name: event.bucket,
            ownerIdentity: { principalId: options.ownerPrincipalId },
            arn: `arn:aws:s3:::${event.bucket}`,
          },
          object: {
            key: encodeS3EventKey(event.key),
            size: event.size,
            eTag: event.eTag,
            sequencer: event.sequencer,
          },
        },
      },
    ],
  }
}

/**
 * Keys in S3 event records are form-URL-encoded ("red flower.jpg" becomes "red+flower.jpg", S3's
 * own example), with `/` left as is: real records carry keys such as
 * `logs/year%3D2026/month%3D01/...`. Like Java's URLEncoder, which leaves `*` and encodes `!'()~`.
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
        .replaceAll('%20', '+'),
    )
    .join('/')
}
