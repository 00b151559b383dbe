import type { Image } from '#core/images/image.ts'
import { withoutUndefined } from './groups.ts'

let built = 0

/** A valid stored image; each call gets its own id and a later timestamp unless overridden. */
export function anImage(overrides: Partial<Image> = {}): Image {
  built++
  const imageId = overrides.imageId ?? `image-${built}`
  return {
    groupId: 'group-1',
    imageId,
    title: `Image ${built}`,
    description: 'At the beach',
    userId: 'user-1',
    timestamp: new Date(Date.UTC(2026, 0, 1) + built * 1000).toISOString(),
    imageUrl: `memory://images/${imageId}`,
    contentType: 'image/jpeg',
    status: 'pending',
    ...overrides,
  }
}

/** A valid `POST /groups/{groupId}/images` body; pass `undefined` for a field to leave it out. */
export function aNewImageBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return withoutUndefined({
    title: 'Sunset',
    description: 'At the beach',
    contentType: 'image/jpeg',
    contentLength: 1024,
    ...overrides,
  })
}
