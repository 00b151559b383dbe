import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { imageChangeFromStreamRecord } from '#adapters/dynamodb/image-stream-records.ts'
import type { ImageChange } from '#core/search/image-change.ts'
import { count, logger, observedHandler } from '../shared/observability.ts'
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
    if (entry === undefined) continue
    const about = { sequenceNumber: sequenceOf(entry.record), ...idsOf(entry.change) }
    if (result.ok) {
      logger.info('image change indexed', about)
      continue
    }
    logger.error('image change not indexed', { ...about, error: result.error })
    failed.push(sequenceOf(entry.record))
  }
  count('IndexerRecords', event.Records.length)
  logger.info('stream batch indexed', { records: event.Records.length, failed: failed.length })
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) }
}

/**
 * The ids a change's log line carries: a batch mixes images, so they go on each line rather than into
 * the invocation's keys. An upsert's item names the request that created the image.
 */
function idsOf(change: ImageChange): Record<string, string> {
  if (change.kind === 'remove') return { imageId: change.imageId }
  const { imageId, groupId, correlationId } = change.image
  return { imageId, groupId, ...(correlationId !== undefined && { correlation_id: correlationId }) }
}

function sequenceOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber ?? ''
}

export const handler = observedHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(
  indexImageRecords,
)
