import type { GroupNotifications } from '#core/notifications/group-notifications.ts'
import type { ImageRepository } from '#core/ports/image-repository.ts'
import { count, logContext, logger } from '../shared/observability.ts'

/**
 * The image repository of the upload event functions, which know an upload only by its object key:
 * the image they load names the request that created it, its group and its owner, and from then on
 * every log line of the invocation carries them (the correlation id of the create request above all).
 */
export function imagesInLogContext(images: ImageRepository): ImageRepository {
  return {
    add: (image) => images.add(image),
    settle: (image, outcome) => images.settle(image, outcome),
    listByGroupNewestFirst: (groupId, page) => images.listByGroupNewestFirst(groupId, page),
    hasImagesInGroup: (groupId) => images.hasImagesInGroup(groupId),
    remove: (image) => images.remove(image),
    async getById(imageId) {
      const image = await images.getById(imageId)
      if (image === undefined) return undefined
      // An image created before correlation ids were recorded must not inherit the previous one.
      if (image.correlationId === undefined) logger.removeKeys(['correlation_id'])
      logContext({
        correlationId: image.correlationId,
        userId: image.userId,
        groupId: image.groupId,
        imageId: image.imageId,
      })
      return image
    },
  }
}

/** Counts what each group notification achieved: messages sent, and closed connections forgotten. */
export function countedNotifications(notifications: GroupNotifications): GroupNotifications {
  return {
    async notifyGroup(event) {
      const report = await notifications.notifyGroup(event)
      count('NotificationsSent', report.sent)
      count('StaleConnectionsRemoved', report.removed)
      return report
    },
  }
}
