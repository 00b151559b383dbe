/** The types the API issues upload URLs for (infra/schemas/create-image-request.ts). */
export const UPLOAD_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const
/** MAX_UPLOAD_BYTES (infra/environment.ts): the upload URL refuses a larger body anyway. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
/** Uploads sent at once; the others wait their turn. */
export const UPLOAD_CONCURRENCY = 2
const TITLE_MAX = 200

/** What the queue needs to know of a file: a File has all of it. */
export interface FileFacts {
  name: string
  type: string
  size: number
}

export type UploadStatus =
  | { kind: 'rejected'; reason: string }
  | { kind: 'queued' }
  | { kind: 'creating' }
  | { kind: 'uploading'; sent: number; total: number }
  | { kind: 'uploaded' }
  | { kind: 'failed'; reason: string }
  | { kind: 'cancelled' }

export interface Upload {
  id: string
  file: FileFacts
  title: string
  /** Known once the API made the image. */
  imageId?: string
  status: UploadStatus
}

export type UploadEvent =
  | { type: 'add'; uploads: Array<{ id: string; file: FileFacts }> }
  | { type: 'start'; id: string }
  | { type: 'created'; id: string; imageId: string }
  | { type: 'progress'; id: string; sent: number; total: number }
  | { type: 'sent'; id: string }
  | { type: 'fail'; id: string; reason: string }
  | { type: 'cancel'; id: string }
  | { type: 'dismiss'; id: string }

/** Why a file cannot be uploaded, before anything is sent; undefined when it can. */
export function refusalOf(file: FileFacts): string | undefined {
  if (!(UPLOAD_CONTENT_TYPES as readonly string[]).includes(file.type)) {
    return `${file.type === '' ? 'This file type' : file.type} is not accepted: JPEG, PNG, WebP or GIF only.`
  }
  if (file.size === 0) return 'The file is empty.'
  if (file.size > MAX_UPLOAD_BYTES) {
    return `The file is ${megabytes(file.size)}; the limit is ${megabytes(MAX_UPLOAD_BYTES)}.`
  }
  return undefined
}

/** The image's title: the file's name without its extension. */
export function titleOf(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '').trim()
  return [...(base === '' ? fileName : base)].slice(0, TITLE_MAX).join('') || 'Untitled'
}

/** Applies one event to the queue; events that do not fit an upload's state leave it unchanged. */
export function uploadQueue(queue: readonly Upload[], event: UploadEvent): Upload[] {
  if (event.type === 'add') {
    return [
      ...queue,
      ...event.uploads.map(({ id, file }): Upload => {
        const reason = refusalOf(file)
        return {
          id,
          file: { name: file.name, type: file.type, size: file.size },
          title: titleOf(file.name),
          status: reason === undefined ? { kind: 'queued' } : { kind: 'rejected', reason },
        }
      }),
    ]
  }
  if (event.type === 'dismiss') {
    return queue.filter((upload) => upload.id !== event.id || isActive(upload))
  }
  return queue.map((upload) => (upload.id === event.id ? step(upload, event) : upload))
}

function step(upload: Upload, event: Exclude<UploadEvent, { type: 'add' | 'dismiss' }>): Upload {
  const { kind } = upload.status
  switch (event.type) {
    case 'start':
      return kind === 'queued' ? { ...upload, status: { kind: 'creating' } } : upload
    case 'created':
      return kind === 'creating'
        ? {
            ...upload,
            imageId: event.imageId,
            status: { kind: 'uploading', sent: 0, total: upload.file.size },
          }
        : upload
    case 'progress':
      return kind === 'uploading'
        ? {
            ...upload,
            status: { kind: 'uploading', sent: Math.min(event.sent, event.total), total: event.total },
          }
        : upload
    case 'sent':
      return kind === 'uploading' ? { ...upload, status: { kind: 'uploaded' } } : upload
    case 'fail':
      return isActive(upload) ? { ...upload, status: { kind: 'failed', reason: event.reason } } : upload
    case 'cancel':
      return isActive(upload) ? { ...upload, status: { kind: 'cancelled' } } : upload
  }
}

/** Queued or on its way: it can still be cancelled. */
export function isActive(upload: Upload): boolean {
  const { kind } = upload.status
  return kind === 'queued' || kind === 'creating' || kind === 'uploading'
}

/** The queued uploads to start now so that no more than `concurrency` are in flight, oldest first. */
export function uploadsToStart(queue: readonly Upload[], concurrency = UPLOAD_CONCURRENCY): Upload[] {
  const inFlight = queue.filter((u) => u.status.kind === 'creating' || u.status.kind === 'uploading').length
  return queue.filter((u) => u.status.kind === 'queued').slice(0, Math.max(0, concurrency - inFlight))
}

/** Progress from 0 to 100, for a progress bar. */
export function percentOf(upload: Upload): number {
  const { status } = upload
  if (status.kind === 'uploaded') return 100
  if (status.kind !== 'uploading' || status.total === 0) return 0
  return Math.floor((status.sent / status.total) * 100)
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
