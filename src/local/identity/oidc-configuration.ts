import type { Adapter, Configuration, errors } from 'oidc-provider'
import { findDevAccount } from './dev-accounts.ts'
import { type DevSigningKey, SIGNING_ALGORITHM } from './dev-signing-key.ts'
import { escapeHtml } from './login-page.ts'

/** The web app: a public client (no secret) that signs in with the authorization code flow and PKCE. */
export const WEB_CLIENT_ID = 'udagram-web'
export const WEB_CLIENT_SCOPES = 'openid profile offline_access'
/** The web app's dev server (Vite's port); the local cloud's `redirectUris` option adds others. */
export const DEFAULT_REDIRECT_URIS: readonly string[] = [
  'http://127.0.0.1:5173/callback',
  'http://localhost:5173/callback',
]
/** Where oidc-provider publishes its keys: where the JWKS of the earlier local identity was. */
export const JWKS_ROUTE = '/.well-known/jwks.json'

const ACCESS_TOKEN_TTL_SECONDS = 3600
const DAY_SECONDS = 24 * 3600

export interface OidcConfigurationSettings {
  /** The API: the one resource server, and so the `aud` of every access token. */
  audience: string
  key: DevSigningKey
  /** HS256 mode: the API's access tokens are signed with this secret instead of the key. */
  sharedSecret?: string
  cookieKeys: string[]
  redirectUris: readonly string[]
  adapter: (model: string) => Adapter
  /** Absolute path of the login pages, e.g. `/idp/interaction/`. */
  interactionsPath: string
  /** oidc-provider's error classes, from the module LocalIdentity loads when it starts. */
  errors: typeof errors
}

/**
 * oidc-provider's configuration for the local cloud. About plain http: oidc-provider accepts an
 * `http:` issuer (it only asks for a web URI), marks its cookies `Secure` only on requests that came
 * over TLS (`ctx.secure`), and refuses http and localhost redirect URIs only to implicit-flow clients,
 * which `responseTypes: ['code']` rules out. `proxy` stays off, so no X-Forwarded-Proto header can
 * change any of that. Nothing here needs a development mode switch.
 */
export function oidcConfiguration(settings: OidcConfigurationSettings): Configuration {
  const firstParty = (clientId: string | undefined) => clientId === WEB_CLIENT_ID
  return {
    adapter: settings.adapter,
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        redirect_uris: [...settings.redirectUris],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: WEB_CLIENT_SCOPES,
      },
    ],
    jwks: { keys: [settings.key.privateJwk] },
    cookies: {
      keys: settings.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    claims: { openid: ['sub'], profile: ['name'] },
    scopes: WEB_CLIENT_SCOPES.split(' '),
    // Public clients only: nothing here holds a client secret.
    clientAuthMethods: ['none'],
    // The authorization code flow only: no implicit nor hybrid flow hands out tokens in the address.
    responseTypes: ['code'],
    // Every client sends a code_challenge; oidc-provider 9 accepts S256 alone.
    pkce: { required: () => true },
    routes: { jwks: JWKS_ROUTE },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string | string[]) =>
          oneOf ?? settings.audience,
        // Access tokens go to the API even when the request says nothing: without this, a token request
        // with the openid scope would get an opaque token meant for the userinfo endpoint.
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resource: string) => {
          if (resource !== settings.audience) throw new settings.errors.InvalidTarget()
          return {
            scope: '',
            audience: settings.audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            jwt: {
              sign:
                settings.sharedSecret === undefined
                  ? { alg: SIGNING_ALGORITHM }
                  : { alg: 'HS256', key: Buffer.from(settings.sharedSecret) },
            },
          }
        },
      },
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_TTL_SECONDS,
      Interaction: 3600,
      RefreshToken: 14 * DAY_SECONDS,
      Session: 14 * DAY_SECONDS,
      Grant: 14 * DAY_SECONDS,
    },
    interactions: { url: (_ctx, interaction) => `${settings.interactionsPath}${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const account = findDevAccount(sub)
      return account && { accountId: account.id, claims: () => ({ sub: account.id, name: account.name }) }
    },
    // The display name the API shows, as Auth0 puts it into access tokens with a rule.
    extraTokenClaims: async (_ctx, token) => {
      const account = token.accountId === undefined ? undefined : findDevAccount(token.accountId)
      return account && { name: account.name }
    },
    // oidc-provider drops offline_access unless the request also says prompt=consent (OIDC Core 11).
    // The first-party web app's consent is implied, so it gets refresh tokens either way, not tied to
    // the browser session; others only when offline_access survived.
    issueRefreshToken: async (ctx, client, source) =>
      client.grantTypeAllowed('refresh_token') &&
      (source.scopes.has('offline_access') || firstParty(ctx.oidc.client?.clientId)),
    expiresWithSession: async (ctx, source) =>
      !source.scopes.has('offline_access') && !firstParty(ctx.oidc.client?.clientId),
    // Each refresh answers a new refresh token and retires the old one: a stolen one works once.
    rotateRefreshToken: true,
    // The web app calls the token endpoint from its own origin: that of one of its redirect URIs.
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin),
    renderError: async (ctx, out) => {
      ctx.type = 'html'
      const lines = Object.entries(out)
        .map(([name, value]) => `<p><strong>${escapeHtml(name)}</strong>: ${escapeHtml(String(value))}</p>`)
        .join('')
      ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><main><h1>Sign-in error</h1>${lines}</main></body></html>\n`
    },
  }
}
