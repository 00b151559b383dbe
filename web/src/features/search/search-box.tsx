import { type FormEvent, useEffect, useState } from 'react'
import { navigate, useRoute } from '../../app/navigation.tsx'
import { hrefOf } from '../../lib/routes.ts'

const DEBOUNCE_MS = 300

/** Searches as you type, once typing pauses; Enter searches at once. */
export function SearchBox() {
  const route = useRoute()
  const routeQuery = route.page === 'search' ? route.q : ''
  const onSearchPage = route.page === 'search'
  const [text, setText] = useState(routeQuery)

  useEffect(() => setText(routeQuery), [routeQuery])
  useEffect(() => {
    if (text.trim() === '' || text === routeQuery) return
    const timer = setTimeout(
      () => navigate(hrefOf({ page: 'search', q: text }), { replace: onSearchPage }),
      DEBOUNCE_MS,
    )
    return () => clearTimeout(timer)
  }, [text, routeQuery, onSearchPage])

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (text.trim() !== '') navigate(hrefOf({ page: 'search', q: text }), { replace: onSearchPage })
  }
  return (
    <search className="search-box">
      <form onSubmit={submit}>
        <label htmlFor="search" className="visually-hidden">
          Search images
        </label>
        <input
          id="search"
          type="search"
          placeholder="Search images"
          value={text}
          onChange={(event) => setText(event.target.value)}
          autoComplete="off"
          maxLength={200}
        />
      </form>
    </search>
  )
}
