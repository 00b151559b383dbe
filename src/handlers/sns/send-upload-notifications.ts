import type { SNSEvent } from 'aws-lambda'
import { uploadAnnouncements } from '#core/images/upload-announcements.ts'
import { count, logger, observedHandler } from '../shared/observability.ts'
import { config, images, notifications } from './notification-services.ts'
import { createdObjectsOf } from './s3-object-events.ts'

const announcements = uploadAnnouncements({ images, notifications })

/**
 * SNS (S3 ObjectCreated on the images bucket) -> `image.uploaded` to the group's WebSocket subscribers.
 * ImagesUploaded counts the uploads that belong to an image record.
 */
async function sendUploadNotifications(event: SNSEvent): Promise<void> {
  for (const object of createdObjectsOf(event)) {
    if (object.bucket !== config.imagesBucket) continue
    const outcome = await announcements.announceUpload(object.key)
    if (outcome.kind === 'announced') count('ImagesUploaded')
    logger.info('upload announced', { imageId: object.key, outcome: outcome.kind })
  }
}

export const handler = observedHandler<SNSEvent, void>().handler(sendUploadNotifications)
