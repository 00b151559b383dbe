import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import type { SNSEvent } from 'aws-lambda'
import { uploadAnnouncements } from '#core/images/upload-announcements.ts'
import { logger } from '../shared/logger.ts'
import { config, images, notifications } from './notification-services.ts'
import { createdObjectsOf } from './s3-object-events.ts'

const announcements = uploadAnnouncements({ images, notifications })

/** SNS (S3 ObjectCreated on the images bucket) -> `image.uploaded` to the group's WebSocket subscribers. */
async function sendUploadNotifications(event: SNSEvent): Promise<void> {
  for (const object of createdObjectsOf(event)) {
    if (object.bucket !== config.imagesBucket) continue
    const outcome = await announcements.announceUpload(object.key)
    logger.info('upload announced', { imageId: object.key, outcome: outcome.kind })
  }
}

export const handler = middy<SNSEvent, void>()
  .use(injectLambdaContext(logger))
  .handler(sendUploadNotifications)
