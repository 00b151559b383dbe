import type { ClientNotifier } from '../ports/client-notifier.ts'
import type { SubscriptionRegistry } from '../ports/subscription-registry.ts'
import { mapWithConcurrency } from '../shared/concurrency.ts'

/** What subscribers of a group are told. */
export type GroupEvent =
  | { type: 'image.uploaded'; groupId: string; imageId: string; title: string; imageUrl: string }
  | {
      type: 'image.ready'
      groupId: string
      imageId: string
      title: string
      imageUrl: string
      thumbnailUrl: string
    }
  | {
      type: 'image.failed'
      groupId: string
      imageId: string
      title: string
      imageUrl: string
      reason: string
    }

export interface NotificationReport {
  sent: number
  /** Connections that were gone (410) and have been forgotten. */
  removed: number
}

export interface GroupNotifications {
  notifyGroup(event: GroupEvent): Promise<NotificationReport>
}

/**
 * Many subscribers are told in parallel, but never more than this many at once: enough to hide the
 * Management API's latency, few enough not to exhaust sockets or hit its rate limit in bursts.
 */
export const NOTIFICATION_CONCURRENCY = 32

export function groupNotifications(deps: {
  registry: SubscriptionRegistry
  notifier: ClientNotifier
  concurrency?: number
}): GroupNotifications {
  return {
    async notifyGroup(event) {
      const subscribers = await deps.registry.subscribersOf(event.groupId)
      const outcomes = await mapWithConcurrency(
        subscribers,
        deps.concurrency ?? NOTIFICATION_CONCURRENCY,
        async (connectionId) => {
          const outcome = await deps.notifier.send(connectionId, event)
          if (outcome === 'gone') await deps.registry.removeConnection(connectionId)
          return outcome
        },
      )
      const removed = outcomes.filter((outcome) => outcome === 'gone').length
      return { sent: outcomes.length - removed, removed }
    },
  }
}
