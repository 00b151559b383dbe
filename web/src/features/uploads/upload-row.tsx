import { isActive, percentOf, type Upload } from '../../lib/upload-queue.ts'

const STATUS_TEXT = {
  queued: 'Waiting',
  creating: 'Starting',
  uploading: 'Uploading',
  uploaded: 'Uploaded',
  cancelled: 'Cancelled',
} as const

export function UploadRow({
  upload,
  onCancel,
  onDismiss,
}: {
  upload: Upload
  onCancel: () => void
  onDismiss: () => void
}) {
  const { status } = upload
  const percent = percentOf(upload)
  const text =
    status.kind === 'rejected' || status.kind === 'failed' ? status.reason : `${STATUS_TEXT[status.kind]}`
  return (
    <li className={`upload upload-${status.kind}`} data-upload-status={status.kind}>
      <span className="upload-name">{upload.file.name}</span>
      {status.kind !== 'rejected' && status.kind !== 'failed' && status.kind !== 'cancelled' && (
        <progress max={100} value={percent} aria-label={`Upload of ${upload.file.name}`}>
          {percent}%
        </progress>
      )}
      <span
        className="upload-status"
        role={status.kind === 'rejected' || status.kind === 'failed' ? 'alert' : undefined}
      >
        {text}
        {status.kind === 'uploading' || status.kind === 'uploaded' ? ` ${percent}%` : ''}
      </span>
      {isActive(upload) ? (
        <button
          type="button"
          className="link-button"
          onClick={onCancel}
          aria-label={`Cancel ${upload.file.name}`}
        >
          Cancel
        </button>
      ) : (
        <button
          type="button"
          className="link-button"
          onClick={onDismiss}
          aria-label={`Dismiss ${upload.file.name}`}
        >
          Dismiss
        </button>
      )}
    </li>
  )
}
