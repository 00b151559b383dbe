import type { SNSEvent } from 'aws-lambda'
import { count, logger, milliseconds, observedHandler } from '../shared/observability.ts'
import { type CreatedObject, createdObjectsOf } from './s3-object-events.ts'
import { imagesBucket, processing } from './thumbnail-services.ts'

/**
 * SNS (S3 ObjectCreated on the images bucket) -> a thumbnail, or the image marked failed. A thrown
 * error makes Lambda retry the delivery (twice) before it goes to the on-failure destination;
 * processing is idempotent, so a retry after a partial run finishes the job without duplicates.
 * ThumbnailFailures counts both: images marked failed, and attempts that threw.
 */
async function resizeUploadedImages(event: SNSEvent): Promise<void> {
  for (const object of createdObjectsOf(event)) {
    if (object.bucket !== imagesBucket) {
      logger.warn('object from another bucket ignored', { bucket: object.bucket, key: object.key })
      continue
    }
    await resizeOne(object)
  }
}

async function resizeOne(object: CreatedObject): Promise<void> {
  let outcome: Awaited<ReturnType<typeof processing.processUpload>>
  try {
    outcome = await processing.processUpload(object.key)
  } catch (error) {
    count('ThumbnailFailures')
    throw error
  }
  if (outcome.kind === 'ready') {
    count('ThumbnailsCreated')
    if (object.createdAt !== undefined)
      milliseconds('ThumbnailLatency', Date.now() - object.createdAt.getTime())
  }
  if (outcome.kind === 'failed') count('ThumbnailFailures')
  logger.info('upload processed', { imageId: object.key, outcome: outcome.kind, ...detailOf(outcome) })
}

function detailOf(outcome: { kind: string; reason?: string }): { reason?: string } {
  return outcome.reason === undefined ? {} : { reason: outcome.reason }
}

export const handler = observedHandler<SNSEvent, void>().handler(resizeUploadedImages)
