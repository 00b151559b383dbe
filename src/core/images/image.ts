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
  /**
   * The id of the request that created the image, so that the work its upload sets off (thumbnail,
   * notifications, indexing) can be told apart in the logs as part of that request. Absent on images
   * created before it was recorded.
   */
  correlationId?: string
}

export type ImageOutcome = { status: 'ready'; thumbnailUrl: string } | { status: 'failed'; reason: string }

export interface NewImage {
  title: string
  description: string
  contentType?: ImageContentType
  /** The exact size in bytes of the upload to come; the upload URL is bound to it. */
  contentLength: number
}

export interface NewImageLimits {
  /** The largest upload accepted, in bytes (MAX_UPLOAD_BYTES). */
  maxUploadBytes: number
}

export const IMAGE_TITLE_MAX = 200
export const IMAGE_DESCRIPTION_MAX = 1000

/**
 * `contentLength` is required: the upload URL signs it, so the storage itself refuses a body of any
 * other size, and a client that does not say how big its upload is gets no URL at all.
 */
export function parseNewImage(input: unknown, limits: NewImageLimits): NewImage {
  const body = requireObject(input, 'request body')
  rejectUnknownFields(body, ['title', 'description', 'contentType', 'contentLength'])
  const image: NewImage = {
    title: requireText(body.title, { field: 'title', min: 1, max: IMAGE_TITLE_MAX }),
    description: optionalText(body.description, { field: 'description', min: 0, max: IMAGE_DESCRIPTION_MAX }),
    contentLength: parseContentLength(body.contentLength, limits.maxUploadBytes),
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

function parseContentLength(value: unknown, maxUploadBytes: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxUploadBytes) {
    throw new InvalidInputError(`contentLength must be an integer from 1 to ${maxUploadBytes}`)
  }
  return value
}
