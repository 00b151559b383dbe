import { type DragEvent, useId, useState } from 'react'
import type { Image } from '../../api/api-types.ts'
import { MAX_UPLOAD_BYTES, UPLOAD_CONTENT_TYPES } from '../../lib/upload-queue.ts'
import { UploadRow } from './upload-row.tsx'
import { useUploads } from './use-uploads.ts'

interface Props {
  groupId: string
  onCreated: (image: Image) => void
  onAbandoned: (imageId: string) => void
}

/** Choose or drop images; each gets a row with its progress. */
export function UploadPanel({ groupId, onCreated, onAbandoned }: Props) {
  const id = useId()
  const { uploads, add, cancel, dismiss } = useUploads(groupId, { onCreated, onAbandoned })
  const [dragging, setDragging] = useState(false)

  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault()
    setDragging(false)
    add([...event.dataTransfer.files])
  }
  return (
    <section className="card uploads" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Upload images</h2>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer gesture; the file input inside takes the same files from the keyboard. */}
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <label htmlFor={`${id}-files`} className="button">
          Choose images
        </label>
        <input
          id={`${id}-files`}
          className="visually-hidden-input"
          type="file"
          multiple
          accept={UPLOAD_CONTENT_TYPES.join(',')}
          onChange={(event) => {
            add([...(event.target.files ?? [])])
            event.target.value = ''
          }}
        />
        <p className="field-help">
          or drop them here. JPEG, PNG, WebP or GIF, up to {MAX_UPLOAD_BYTES / (1024 * 1024)} MB each.
        </p>
      </div>
      {uploads.length > 0 && (
        <ul className="upload-list">
          {uploads.map((upload) => (
            <UploadRow
              key={upload.id}
              upload={upload}
              onCancel={() => cancel(upload.id)}
              onDismiss={() => dismiss(upload.id)}
            />
          ))}
        </ul>
      )}
    </section>
  )
}
