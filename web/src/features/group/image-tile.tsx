import type { ImageSummary } from '../../lib/image-list.ts'
import { ErrorMessage } from '../../ui/error-message.tsx'
import { useDeleteImage } from './image-queries.ts'

interface Props {
  groupId: string
  image: ImageSummary
  canDelete: boolean
  onOpen: () => void
  onDeleted: (imageId: string) => void
}

export function ImageTile({ groupId, image, canDelete, onOpen, onDeleted }: Props) {
  const remove = useDeleteImage(groupId)
  const confirmAndDelete = () => {
    if (!window.confirm(`Delete “${image.title}”?`)) return
    remove.mutate(image.imageId, { onSuccess: () => onDeleted(image.imageId) })
  }
  return (
    <li className={`tile tile-${image.status}`} data-image-id={image.imageId} data-status={image.status}>
      {image.status === 'ready' && image.thumbnailUrl ? (
        <button type="button" className="thumbnail" onClick={onOpen} aria-label={`Open ${image.title}`}>
          <img src={image.thumbnailUrl} alt={image.title} loading="lazy" />
        </button>
      ) : image.status === 'failed' ? (
        <div className="thumbnail failed" role="img" aria-label={`${image.title}: upload failed`}>
          <span aria-hidden="true">✕</span>
          <span>Failed</span>
        </div>
      ) : (
        <div className="thumbnail pending" role="img" aria-label={`${image.title}: thumbnail on its way`}>
          <span className="spinner" aria-hidden="true" />
          <span>Processing…</span>
        </div>
      )}
      <div className="tile-caption">
        <span className="tile-title">{image.title}</span>
        {image.status === 'failed' && (
          <span className="tile-reason">
            {image.failureReason ?? 'Not an image the thumbnailer could read.'}
          </span>
        )}
        {canDelete && (
          <button
            type="button"
            className="link-button danger"
            onClick={confirmAndDelete}
            disabled={remove.isPending}
            aria-label={`Delete ${image.title}`}
          >
            Delete
          </button>
        )}
      </div>
      <ErrorMessage error={remove.error} />
    </li>
  )
}
