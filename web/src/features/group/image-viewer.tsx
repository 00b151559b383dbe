import { useEffect, useRef } from 'react'
import type { ImageSummary } from '../../lib/image-list.ts'

/** The original image in a modal dialog: showModal moves focus to its button; Escape or the button closes it. */
export function ImageViewer({ image, onClose }: { image: ImageSummary; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const element = dialog.current
    element?.showModal()
    return () => element?.close()
  }, [])
  return (
    <dialog ref={dialog} className="viewer" onClose={onClose} aria-label={image.title}>
      <img src={image.imageUrl} alt={image.title} />
      <div className="viewer-bar">
        <span>{image.title}</span>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}
