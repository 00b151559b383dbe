/** An image as the group page shows it: from a listing, an upload of this page, or a live event. */
export interface ImageSummary {
  imageId: string
  groupId: string
  title: string
  description?: string
  userId?: string
  /** ISO-8601 creation time; live events carry none, so the time they arrived stands in. */
  timestamp: string
  imageUrl: string
  status: 'pending' | 'ready' | 'failed'
  thumbnailUrl?: string
  failureReason?: string
}

/** What the WebSocket API pushes to subscribers of a group (src/core/notifications/group-notifications.ts). */
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

const STAGE = { pending: 0, ready: 1, failed: 1 } as const

/**
 * One list from several (live events, pages of the listing): one entry per image, the furthest along
 * of its copies (ready or failed beats pending, since an image never goes back), newest first.
 */
export function mergeImages(...lists: ReadonlyArray<readonly ImageSummary[]>): ImageSummary[] {
  const byId = new Map<string, ImageSummary>()
  for (const image of lists.flat()) {
    const known = byId.get(image.imageId)
    byId.set(image.imageId, known === undefined ? image : furthest(known, image))
  }
  return [...byId.values()].sort(newestFirst)
}

/** The list after a live event; `now` dates an image first heard of by this event. */
export function applyGroupEvent(list: readonly ImageSummary[], event: GroupEvent, now: Date): ImageSummary[] {
  const update: ImageSummary = {
    imageId: event.imageId,
    groupId: event.groupId,
    title: event.title,
    imageUrl: event.imageUrl,
    timestamp: list.find((image) => image.imageId === event.imageId)?.timestamp ?? now.toISOString(),
    status: 'pending',
  }
  if (event.type === 'image.ready')
    Object.assign(update, { status: 'ready', thumbnailUrl: event.thumbnailUrl })
  if (event.type === 'image.failed') Object.assign(update, { status: 'failed', failureReason: event.reason })
  return mergeImages(list, [update])
}

/** Reads a WebSocket frame as a group event; undefined for anything else (replies, errors, junk). */
export function parseGroupEvent(data: unknown): GroupEvent | undefined {
  if (typeof data !== 'string') return undefined
  let message: unknown
  try {
    message = JSON.parse(data)
  } catch {
    return undefined
  }
  if (typeof message !== 'object' || message === null) return undefined
  const m = message as Record<string, unknown>
  const strings = ['groupId', 'imageId', 'title', 'imageUrl'].every((key) => typeof m[key] === 'string')
  if (!strings) return undefined
  if (m.type === 'image.uploaded') return m as GroupEvent
  if (m.type === 'image.ready' && typeof m.thumbnailUrl === 'string') return m as GroupEvent
  if (m.type === 'image.failed' && typeof m.reason === 'string') return m as GroupEvent
  return undefined
}

function furthest(known: ImageSummary, other: ImageSummary): ImageSummary {
  const [behind, ahead] = STAGE[other.status] > STAGE[known.status] ? [known, other] : [other, known]
  // The listing knows more about an image (owner, description, time) than an event does.
  const merged = { ...behind, ...ahead, timestamp: earliest(known.timestamp, other.timestamp) }
  const userId = known.userId ?? other.userId
  return userId === undefined ? merged : { ...merged, userId }
}

function earliest(a: string, b: string): string {
  return a < b ? a : b
}

function newestFirst(a: ImageSummary, b: ImageSummary): number {
  if (a.timestamp === b.timestamp) return a.imageId < b.imageId ? 1 : -1
  return a.timestamp < b.timestamp ? 1 : -1
}
