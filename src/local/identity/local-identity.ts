import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import type ProviderClass from 'oidc-provider'
import type { errors as providerErrors } from 'oidc-provider'
import { type AccessTokenSigning, mintAccessToken } from './access-token-minter.ts'
import { loadOrCreateCookieKeys } from './cookie-keys.ts'
import type { DevSigningKey } from './dev-signing-key.ts'
import { LoginInteractions } from './login-interactions.ts'
import {
  DEFAULT_REDIRECT_URIS,
  JWKS_ROUTE,
  oidcConfiguration,
  WEB_CLIENT_ID,
  WEB_CLIENT_SCOPES,
} from './oidc-configuration.ts'
import { OidcModelStore } from './oidc-model-store.ts'

export const IDENTITY_PATH = '/idp/'
export { DEFAULT_REDIRECT_URIS, WEB_CLIENT_ID, WEB_CLIENT_SCOPES }

export interface LocalIdentitySettings {
  /** e.g. http://127.0.0.1:3000/idp/ — ends with a slash, as Auth0 issuers do. */
  issuer: string
  audience: string
  key: DevSigningKey
  /** Cookie keys go to `<dataDir>/identity/`; so do sessions and tokens unless `inMemory`. */
  dataDir: string
  inMemory: boolean
  /** The web app's redirect URIs; DEFAULT_REDIRECT_URIS when absent. */
  redirectUris?: readonly string[]
  /** HS256 mode: access tokens for the API are signed with this secret (ID tokens stay RS256). */
  sharedSecret?: string
}

/** What a client needs to sign in (endpoints.json's `oidc`). */
export interface OidcClientSettings {
  issuer: string
  clientId: string
  redirectUris: string[]
  scopes: string
  audience: string
}

/** The provider's own paths under the issuer (oidc-provider's routes); others go to the API Gateway. */
const PROVIDER_PATHS =
  /^\/(?:\.well-known\/(?:openid-configuration|oauth-authorization-server|jwks\.json)|auth(?:\/[\w-]+)?|token(?:\/revocation)?|me|session\/end(?:\/confirm|\/success)?)$/

/**
 * The local cloud's OpenID provider (oidc-provider): discovery, JWKS, the authorization code flow with
 * PKCE for the web app, a login page with development users, refresh tokens. Its access tokens are
 * RS256 JWTs for the API, signed with the key in the data folder.
 */
export class LocalIdentity {
  readonly issuer: string
  readonly audience: string
  readonly jwksUrl: string
  readonly oidc: OidcClientSettings
  readonly #signing: AccessTokenSigning
  readonly #store: OidcModelStore
  readonly #mountPath: string
  readonly #callback: (request: IncomingMessage, response: ServerResponse) => Promise<void>
  readonly #interactions: LoginInteractions

  private constructor(
    providerModule: { default: typeof ProviderClass; errors: typeof providerErrors },
    settings: LocalIdentitySettings,
    store: OidcModelStore,
    cookieKeys: string[],
  ) {
    const redirectUris = [...(settings.redirectUris ?? DEFAULT_REDIRECT_URIS)]
    this.issuer = settings.issuer
    this.audience = settings.audience
    this.jwksUrl = new URL(JWKS_ROUTE.slice(1), settings.issuer).href
    this.oidc = {
      issuer: settings.issuer,
      clientId: WEB_CLIENT_ID,
      redirectUris,
      scopes: WEB_CLIENT_SCOPES,
      audience: settings.audience,
    }
    this.#signing =
      settings.sharedSecret === undefined ? { key: settings.key } : { sharedSecret: settings.sharedSecret }
    this.#store = store
    this.#mountPath = new URL(settings.issuer).pathname.replace(/\/$/, '')
    const interactionsPath = `${this.#mountPath}/interaction/`
    const Provider = providerModule.default
    const provider = new Provider(
      settings.issuer,
      oidcConfiguration({
        audience: settings.audience,
        key: settings.key,
        ...(settings.sharedSecret !== undefined && { sharedSecret: settings.sharedSecret }),
        cookieKeys,
        redirectUris,
        adapter: store.adapterFor,
        interactionsPath,
        errors: providerModule.errors,
      }),
    )
    provider.on('server_error', (_ctx, error) => console.error('local identity:', error))
    this.#callback = provider.callback()
    this.#interactions = new LoginInteractions(provider, {
      basePath: interactionsPath,
      firstPartyClients: new Set([WEB_CLIENT_ID]),
    })
  }

  static async start(settings: LocalIdentitySettings): Promise<LocalIdentity> {
    // oidc-provider (and Koa under it) takes ~350 ms to load: loaded here, not with this module, so
    // the local cloud can serve its API while the provider is still starting.
    const [providerModule, store, cookieKeys] = await Promise.all([
      import('oidc-provider'),
      OidcModelStore.open(settings.inMemory ? undefined : join(settings.dataDir, 'identity', 'oidc')),
      loadOrCreateCookieKeys(settings.dataDir),
    ])
    return new LocalIdentity(providerModule, settings, store, cookieKeys)
  }

  /** A token as the provider would issue it after a sign-in: `npm run token` and the tests' shortcut. */
  mint(options: { userId: string; name?: string; ttlSeconds?: number }): Promise<string> {
    return mintAccessToken(this.#signing, {
      issuer: this.issuer,
      audience: this.audience,
      clientId: WEB_CLIENT_ID,
      scope: WEB_CLIENT_SCOPES,
      ...options,
    })
  }

  /** Serves the provider's paths under the issuer; answers false for paths that are not its own. */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const url = request.url ?? '/'
    const pathname = new URL(url, 'http://local').pathname
    if (this.#interactions.handles(pathname)) {
      this.#interactions.handle(request, response, pathname).catch((error: unknown) => {
        console.error('local identity: interaction failed:', error)
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' })
        response.end('The local identity provider failed; see the local cloud output.')
      })
      return true
    }
    if (!pathname.startsWith(`${this.#mountPath}/`)) return false
    const inner = pathname.slice(this.#mountPath.length)
    if (!PROVIDER_PATHS.test(inner)) return false
    // Mounted as Express mounts it: the provider sees paths under the issuer and finds the mount point
    // from originalUrl, so the addresses it writes (discovery, redirects) keep the /idp prefix.
    Object.assign(request, { originalUrl: url, url: url.slice(this.#mountPath.length) })
    void this.#callback(request, response)
    return true
  }

  /** Resolves once sessions and tokens are saved. */
  close(): Promise<void> {
    return this.#store.flush()
  }
}
