import { useRef } from 'react'
import { useCurrentUser } from '../../app/app-context.tsx'
import type { GroupEvent } from '../../lib/image-list.ts'
import { ErrorMessage } from '../../ui/error-message.tsx'
import { useToast } from '../../ui/toasts.tsx'
import { useGroup } from '../groups/group-queries.ts'
import { LiveIndicator } from '../live/live-indicator.tsx'
import { useGroupLive } from '../live/use-group-live.ts'
import { UploadPanel } from '../uploads/upload-panel.tsx'
import { DeleteGroupButton } from './delete-group-button.tsx'
import { ImageGrid } from './image-grid.tsx'
import { useGroupImages } from './use-group-images.ts'

export default function GroupPage({ groupId }: { groupId: string }) {
  const group = useGroup(groupId)
  const user = useCurrentUser()
  const images = useGroupImages(groupId)
  const toast = useToast()
  const ownUploads = useRef(new Set<string>())

  const live = useGroupLive(groupId, {
    onEvent: (event: GroupEvent) => {
      images.apply(event)
      if (event.type === 'image.uploaded' && !ownUploads.current.has(event.imageId)) {
        toast(`New image: ${event.title}`)
      }
    },
    onResume: images.refresh,
  })

  if (group.isPending) return <p className="loading">Loading the group…</p>
  if (group.isError) return <ErrorMessage error={group.error} />
  const isOwner = user !== undefined && user.id === group.data.userId
  return (
    <div className="page">
      <div className="group-heading">
        <div>
          <h1>{group.data.name}</h1>
          {group.data.description && <p>{group.data.description}</p>}
        </div>
        {isOwner && <DeleteGroupButton groupId={groupId} />}
      </div>
      <LiveIndicator status={live} />
      {user && (
        <UploadPanel
          groupId={groupId}
          onCreated={(image) => {
            ownUploads.current.add(image.imageId)
            images.add(image)
          }}
          onAbandoned={images.remove}
        />
      )}
      <ImageGrid groupId={groupId} images={images.images} userId={user?.id} onDeleted={images.remove} />
      {images.pages.isError && <ErrorMessage error={images.pages.error} />}
      {images.pages.hasNextPage && (
        <button
          type="button"
          onClick={() => void images.pages.fetchNextPage()}
          disabled={images.pages.isFetchingNextPage}
        >
          {images.pages.isFetchingNextPage ? 'Loading…' : 'More images'}
        </button>
      )}
    </div>
  )
}
