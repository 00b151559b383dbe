import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { imageChangeFromStreamRecord } from '#adapters/dynamodb/image-stream-records.ts'
import type { ImageChange } from '#core/search/image-change.ts'
import { logger } from '../shared/logger.ts'
import { config, indexing } from './indexer-services.ts'

/**
 * The Images table's stream -> the search index. Every record is applied in order (INSERT and MODIFY
 * as upserts, REMOVE as a deletion); the index ignores changes older than what it holds, so
 * replayed batches are harmless. Records that fail are reported one by one
 * (`ReportBatchItemFailures`): Lambda retries from the first of them and never re-delivers the ones
 * before it. A throw (the index unreachable) fails the whole batch, which Lambda then bisects.
 */
async function indexImageRecords(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const failed: string[] = []
  const changes: Array<{ record: DynamoDBRecord; change: ImageChange }> = []
  for (const record of event.Records) {
    try {
      changes.push({ record, change: imageChangeFromStreamRecord(record, config.imagesTable) })
    } catch (error) {
      logger.error('stream record is not an image change', { sequenceNumber: sequenceOf(record), error })
      failed.push(sequenceOf(record))
    }
  }
  const results = await indexing.indexImageChanges(changes.map(({ change }) => change))
  for (const [index, result] of results.entries()) {
    const entry = changes[index]
    if (entry === undefined || result.ok) continue
    logger.error('image change not indexed', {
      sequenceNumber: sequenceOf(entry.record),
      imageId: entry.change.kind === 'upsert' ? entry.change.image.imageId : entry.change.imageId,
      error: result.error,
    })
    failed.push(sequenceOf(entry.record))
  }
  logger.info('stream batch indexed', { records: event.Records.length, failed: failed.length })
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) }
}

function sequenceOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber ?? ''
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(indexImageRecords)
