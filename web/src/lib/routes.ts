/** The app's pages, read from and written to the address bar. */
export type Route =
  | { page: 'groups' }
  | { page: 'group'; groupId: string }
  | { page: 'search'; q: string }
  | { page: 'callback' }
  | { page: 'not-found' }

export function routeOf(pathname: string, search: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'groups' }
  if (pathname === '/callback') return { page: 'callback' }
  if (pathname === '/search') return { page: 'search', q: new URLSearchParams(search).get('q') ?? '' }
  const group = /^\/groups\/([^/]+)\/?$/.exec(pathname)
  if (group?.[1] !== undefined) {
    try {
      return { page: 'group', groupId: decodeURIComponent(group[1]) }
    } catch {
      return { page: 'not-found' }
    }
  }
  return { page: 'not-found' }
}

export function hrefOf(route: Exclude<Route, { page: 'not-found' | 'callback' }>): string {
  switch (route.page) {
    case 'groups':
      return '/'
    case 'group':
      return `/groups/${encodeURIComponent(route.groupId)}`
    case 'search':
      return `/search?${new URLSearchParams({ q: route.q })}`
  }
}
