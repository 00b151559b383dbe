import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import type { SNSEvent } from 'aws-lambda'
import { logger } from '../shared/logger.ts'
import { createdObjectsOf } from './s3-object-events.ts'
import { imagesBucket, processing } from './thumbnail-services.ts'

/**
 * SNS (S3 ObjectCreated on the images bucket) -> a thumbnail, or the image marked failed. A thrown
 * error makes Lambda retry the delivery (twice) before it goes to the on-failure destination;
 * processing is idempotent, so a retry after a partial run finishes the job without duplicates.
 */
async function resizeUploadedImages(event: SNSEvent): Promise<void> {
  for (const object of createdObjectsOf(event)) {
    if (object.bucket !== imagesBucket) {
      logger.warn('object from another bucket ignored', { bucket: object.bucket, key: object.key })
      continue
    }
    const outcome = await processing.processUpload(object.key)
    logger.info('upload processed', { imageId: object.key, outcome: outcome.kind, ...detailOf(outcome) })
  }
}

function detailOf(outcome: { kind: string; reason?: string }): { reason?: string } {
  return outcome.reason === undefined ? {} : { reason: outcome.reason }
}

export const handler = middy<SNSEvent, void>().use(injectLambdaContext(logger)).handler(resizeUploadedImages)
