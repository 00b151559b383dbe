import { InvalidInputError } from '../shared/errors.ts'
import { optionalText, rejectUnknownFields, requireObject, requireText } from '../shared/text-field.ts'

export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number]

/** pending until the upload is processed; then ready (with a thumbnail) or failed (with the reason). */
export const IMAGE_STATUSES = ['pending', 'ready', 'failed'] as const
export type ImageStatus = (typeof IMAGE_STATUSES)[number]

export interface Image {
  groupId: string
  imageId: string
  title: string
  description: string
  userId: string
  /** ISO-8601 creation time; with groupId it is the item's key, so it is unique within a group. */
  timestamp: string
  imageUrl: string
  /** The type the upload URL is bound to; absent when the client did not name one. */
  contentType?: ImageContentType
  status: ImageStatus
  /** Set when ready. */
  thumbnailUrl?: string
  /** Set when failed: why the upload was not accepted as an image. */
  failureReason?: string
}

export type ImageOutcome = { status: 'ready'; thumbnailUrl: string } | { status: 'failed'; reason: string }

export interface NewImage {
  title: string
  description: string
  contentType?: ImageContentType
}

export const IMAGE_TITLE_MAX = 200
export const IMAGE_DESCRIPTION_MAX = 1000

export function parseNewImage(input: unknown): NewImage {
  const body = requireObject(input, 'request body')
  rejectUnknownFields(body, ['title', 'description', 'contentType'])
  const image: NewImage = {
    title: requireText(body.title, { field: 'title', min: 1, max: IMAGE_TITLE_MAX }),
    description: optionalText(body.description, { field: 'description', min: 0, max: IMAGE_DESCRIPTION_MAX }),
  }
  if (body.contentType !== undefined) image.contentType = parseContentType(body.contentType)
  return image
}

function parseContentType(value: unknown): ImageContentType {
  const known = IMAGE_CONTENT_TYPES.find((type) => type === value)
  if (known === undefined) {
    throw new InvalidInputError(`contentType must be one of ${IMAGE_CONTENT_TYPES.join(', ')}`)
  }
  return known
}
