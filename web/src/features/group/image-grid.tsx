import { useState } from 'react'
import type { ImageSummary } from '../../lib/image-list.ts'
import { ImageTile } from './image-tile.tsx'
import { ImageViewer } from './image-viewer.tsx'

interface Props {
  groupId: string
  images: ImageSummary[]
  /** The signed-in user, who may delete their own images. */
  userId: string | undefined
  onDeleted: (imageId: string) => void
}

export function ImageGrid({ groupId, images, userId, onDeleted }: Props) {
  const [open, setOpen] = useState<ImageSummary | undefined>(undefined)
  if (images.length === 0) return <p>No images in this group yet.</p>
  return (
    <>
      <ul className="image-grid" aria-label="Images, newest first">
        {images.map((image) => (
          <ImageTile
            key={image.imageId}
            groupId={groupId}
            image={image}
            canDelete={userId !== undefined && image.userId === userId}
            onOpen={() => setOpen(image)}
            onDeleted={onDeleted}
          />
        ))}
      </ul>
      {open && <ImageViewer image={open} onClose={() => setOpen(undefined)} />}
    </>
  )
}
