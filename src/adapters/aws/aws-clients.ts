import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

/** The only place AWS SDK clients are built; composition roots call these once per cold start. */

export interface ClientSettings {
  region: string
  /** Overrides the service endpoint, as the local cloud does. */
  endpoint: string | undefined
}

export function createDocumentClient(settings: ClientSettings): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ region: settings.region, endpoint: settings.endpoint })
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })
}

export function createS3Client(settings: ClientSettings & { forcePathStyle: boolean }): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    // With the default (WHEN_SUPPORTED) the presigner bakes the CRC32 of an empty body into upload
    // URLs, and every browser upload through them fails its checksum.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
}
