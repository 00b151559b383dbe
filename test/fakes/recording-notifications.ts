import type {
  GroupEvent,
  GroupNotifications,
  NotificationReport,
} from '#core/notifications/group-notifications.ts'

export class RecordingNotifications implements GroupNotifications {
  readonly events: GroupEvent[] = []

  async notifyGroup(event: GroupEvent): Promise<NotificationReport> {
    this.events.push(event)
    return { sent: 1, removed: 0 }
  }
}
