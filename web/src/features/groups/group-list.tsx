import { Link } from '../../app/navigation.tsx'
import { hrefOf } from '../../lib/routes.ts'
import { ErrorMessage } from '../../ui/error-message.tsx'
import { useGroups } from './group-queries.ts'

export function GroupList() {
  const groups = useGroups()
  if (groups.isPending) return <p className="loading">Loading groups…</p>
  if (groups.isError) return <ErrorMessage error={groups.error} />
  const items = groups.data.pages.flatMap((page) => page.items)
  return (
    <section aria-labelledby="group-list-title">
      <h2 id="group-list-title">All groups</h2>
      {items.length === 0 ? (
        <p>No groups yet.</p>
      ) : (
        <ul className="group-list">
          {items.map((group) => (
            <li key={group.id}>
              <Link href={hrefOf({ page: 'group', groupId: group.id })}>{group.name}</Link>
              {group.description && <p>{group.description}</p>}
            </li>
          ))}
        </ul>
      )}
      {groups.hasNextPage && (
        <button
          type="button"
          onClick={() => void groups.fetchNextPage()}
          disabled={groups.isFetchingNextPage}
        >
          {groups.isFetchingNextPage ? 'Loading…' : 'More groups'}
        </button>
      )}
    </section>
  )
}
