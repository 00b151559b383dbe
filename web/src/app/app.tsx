import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, Suspense, useEffect, useRef } from 'react'
import { AuthProvider } from 'react-oidc-context'
import { ToastProvider } from '../ui/toasts.tsx'
import type { AppConfig } from './app-config.ts'
import { ConfigContext } from './app-context.tsx'
import { authSettings } from './auth-settings.ts'
import { Header } from './header.tsx'
import { useRoute } from './navigation.tsx'
import { SignInCallback } from './sign-in-callback.tsx'

const GroupsPage = lazy(() => import('../features/groups/groups-page.tsx'))
const GroupPage = lazy(() => import('../features/group/group-page.tsx'))
const SearchPage = lazy(() => import('../features/search/search-page.tsx'))

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: false } },
})

export function App({ config }: { config: AppConfig }) {
  return (
    <ConfigContext.Provider value={config}>
      <AuthProvider {...authSettings(config)}>
        <QueryClientProvider client={queryClient}>
          <ToastProvider>
            <a className="skip-link" href="#main">
              Skip to content
            </a>
            <Header />
            <main id="main" tabIndex={-1}>
              <Suspense fallback={<p className="loading">Loading…</p>}>
                <CurrentPage />
              </Suspense>
            </main>
          </ToastProvider>
        </QueryClientProvider>
      </AuthProvider>
    </ConfigContext.Provider>
  )
}

function CurrentPage() {
  const route = useRoute()
  const main = useRef<HTMLElement | null>(null)
  const page = route.page === 'group' ? `group:${route.groupId}` : route.page
  // A new page moves focus to its content, as a page load would, so keyboard and screen reader users
  // start there; a new search query on the search page does not.
  useEffect(() => {
    main.current ??= document.getElementById('main')
    if (page !== 'search') main.current?.focus({ preventScroll: true })
  }, [page])
  switch (route.page) {
    case 'groups':
      return <GroupsPage />
    case 'group':
      return <GroupPage groupId={route.groupId} />
    case 'search':
      return <SearchPage q={route.q} />
    case 'callback':
      return <SignInCallback />
    case 'not-found':
      return <p>There is no such page here.</p>
  }
}
