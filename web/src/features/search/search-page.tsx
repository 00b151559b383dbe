import { Link } from '../../app/navigation.tsx'
import { hrefOf } from '../../lib/routes.ts'
import { ErrorMessage } from '../../ui/error-message.tsx'
import { HighlightedText } from './highlighted-text.ts'
import { useImageSearch } from './search-queries.ts'

export default function SearchPage({ q }: { q: string }) {
  const search = useImageSearch(q)
  if (q.trim() === '') return <p>Type in the search box to find images by title, description or group.</p>
  const results = search.data?.pages.flatMap((page) => page.items) ?? []
  const total = search.data?.pages[0]?.total
  return (
    <div className="page">
      <h1>Search: {q}</h1>
      {search.isError && <ErrorMessage error={search.error} />}
      {search.isPending ? (
        <p className="loading">Searching…</p>
      ) : (
        <p aria-live="polite">{total === 1 ? '1 image found' : `${total ?? 0} images found`}</p>
      )}
      <ul className="results">
        {results.map(({ item, highlights }) => (
          <li key={item.imageId} className="result">
            {item.status === 'ready' && item.thumbnailUrl ? (
              <img src={item.thumbnailUrl} alt={item.title} loading="lazy" />
            ) : (
              <div className={`thumbnail ${item.status}`} aria-hidden="true" />
            )}
            <div>
              <Link href={hrefOf({ page: 'group', groupId: item.groupId })} className="result-title">
                <HighlightedText markup={highlights.title ?? escapeText(item.title)} />
              </Link>
              {(highlights.description ?? item.description) && (
                <p>
                  <HighlightedText markup={highlights.description ?? escapeText(item.description)} />
                </p>
              )}
            </div>
          </li>
        ))}
      </ul>
      {search.hasNextPage && (
        <button
          type="button"
          onClick={() => void search.fetchNextPage()}
          disabled={search.isFetchingNextPage}
        >
          More results
        </button>
      )}
    </div>
  )
}

/** Text without highlights, in the same markup, so it reads back as itself. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
