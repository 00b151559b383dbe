import { type User, WebStorageStateStore } from 'oidc-client-ts'
import type { AuthProviderProps } from 'react-oidc-context'
import type { AppConfig } from './app-config.ts'

/** Where to come back to after sign-in, carried through the provider in the OIDC `state`. */
export interface SignInState {
  returnTo: string
}

/**
 * The authorization code flow with PKCE (oidc-client-ts's only flow). Tokens stay in session storage,
 * per tab; the refresh token renews them before they expire. `audience` is what Auth0 needs to issue
 * an access token for the API.
 */
export function authSettings(config: AppConfig): AuthProviderProps {
  return {
    authority: config.oidc.authority,
    client_id: config.oidc.clientId,
    redirect_uri: config.oidc.redirectUri,
    scope: config.oidc.scope,
    ...(config.oidc.audience !== undefined && { extraQueryParams: { audience: config.oidc.audience } }),
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: true,
    onSigninCallback: (user: User | undefined) => {
      // The code and state leave the address bar (and the history) at once.
      window.history.replaceState(null, '', returnPathOf(user?.state))
      window.dispatchEvent(new PopStateEvent('popstate'))
    },
  }
}

/** Only a path of this app: never another origin (`//evil.example`). */
function returnPathOf(state: unknown): string {
  const returnTo = (state as Partial<SignInState> | undefined)?.returnTo
  return typeof returnTo === 'string' && /^\/(?![/\\])/.test(returnTo) ? returnTo : '/'
}
