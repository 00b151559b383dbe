import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

/** The only place AWS SDK clients are built; composition roots call these once per cold start. */

/** Instruments a client so that each of its calls is traced (the Powertools Tracer is one). */
export interface ClientTracer {
  captureAWSv3Client<T>(client: T): T
}

export interface ClientSettings {
  region: string
  /** Overrides the service endpoint, as the local cloud does. */
  endpoint: string | undefined
  /** Traces every call of the client when given: each becomes an X-Ray subsegment. */
  tracer?: ClientTracer | undefined
}

export function createDocumentClient(settings: ClientSettings): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ region: settings.region, endpoint: settings.endpoint })
  // The document client sends through the client it wraps, so capturing that one traces both.
  return DynamoDBDocumentClient.from(captured(client, settings.tracer), {
    marshallOptions: { removeUndefinedValues: true },
  })
}

export function createS3Client(settings: ClientSettings & { forcePathStyle: boolean }): S3Client {
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    // With the default (WHEN_SUPPORTED) the presigner bakes the CRC32 of an empty body into upload
    // URLs, and every browser upload through them fails its checksum.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  return captured(client, settings.tracer)
}

export function captured<T>(client: T, tracer: ClientTracer | undefined): T {
  return tracer === undefined ? client : tracer.captureAWSv3Client(client)
}
