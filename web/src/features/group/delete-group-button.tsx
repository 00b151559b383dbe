import { navigate } from '../../app/navigation.tsx'
import { ErrorMessage } from '../../ui/error-message.tsx'
import { useDeleteGroup } from '../groups/group-queries.ts'

/** The owner deletes an empty group; the API answers 409 while it has images, and that is shown. */
export function DeleteGroupButton({ groupId }: { groupId: string }) {
  const remove = useDeleteGroup()
  const confirmAndDelete = () => {
    if (!window.confirm('Delete this group? Only an empty group can be deleted.')) return
    remove.mutate(groupId, { onSuccess: () => navigate('/') })
  }
  return (
    <div className="group-actions">
      <button type="button" className="danger" onClick={confirmAndDelete} disabled={remove.isPending}>
        Delete group
      </button>
      <ErrorMessage error={remove.error} />
    </div>
  )
}
