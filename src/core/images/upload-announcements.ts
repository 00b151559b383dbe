import type { GroupNotifications } from '../notifications/group-notifications.ts'
import type { ImageRepository } from '../ports/image-repository.ts'

export type AnnouncementOutcome =
  | { kind: 'announced'; imageId: string; sent: number }
  | { kind: 'ignored'; reason: string }

/** Tells a group's subscribers that one of its images was just uploaded (before its thumbnail exists). */
export function uploadAnnouncements(deps: { images: ImageRepository; notifications: GroupNotifications }) {
  return {
    async announceUpload(objectKey: string): Promise<AnnouncementOutcome> {
      const image = await deps.images.getById(objectKey)
      if (image === undefined) return { kind: 'ignored', reason: `no image has the key ${objectKey}` }
      const report = await deps.notifications.notifyGroup({
        type: 'image.uploaded',
        groupId: image.groupId,
        imageId: image.imageId,
        title: image.title,
        imageUrl: image.imageUrl,
      })
      return { kind: 'announced', imageId: image.imageId, sent: report.sent }
    },
  }
}
