import { useAuth } from 'react-oidc-context'
import { SearchBox } from '../features/search/search-box.tsx'
import type { SignInState } from './auth-settings.ts'
import { Link } from './navigation.tsx'

export function Header() {
  const auth = useAuth()
  const signIn = () => {
    const state: SignInState = { returnTo: `${window.location.pathname}${window.location.search}` }
    void auth.signinRedirect({ state })
  }
  const signOut = () => {
    // The refresh token is revoked at the provider (access tokens are JWTs: they cannot be, and expire
    // within the hour), then both are forgotten here. The provider's own session is left alone, so
    // signing in again is one click.
    void auth
      .revokeTokens(['refresh_token'])
      .catch(() => {})
      .finally(() => auth.removeUser())
  }
  const user = auth.user && !auth.user.expired ? auth.user : undefined
  return (
    <header className="header">
      <Link href="/" className="brand">
        Udagram
      </Link>
      <SearchBox />
      <div className="account">
        {user ? (
          <>
            <span className="user-name">{String(user.profile.name ?? user.profile.sub)}</span>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </>
        ) : (
          <button type="button" onClick={signIn} disabled={auth.isLoading}>
            Sign in
          </button>
        )}
      </div>
    </header>
  )
}
