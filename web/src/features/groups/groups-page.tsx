import { useCurrentUser } from '../../app/app-context.tsx'
import { CreateGroupForm } from './create-group-form.tsx'
import { GroupList } from './group-list.tsx'

export default function GroupsPage() {
  const user = useCurrentUser()
  return (
    <div className="page">
      <h1>Groups</h1>
      {user ? (
        <CreateGroupForm />
      ) : (
        <p className="hint">Sign in to create a group or upload images. Anyone can look around.</p>
      )}
      <GroupList />
    </div>
  )
}
