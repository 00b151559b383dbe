import type { IncomingMessage, ServerResponse } from 'node:http'
import { SignJWT } from 'jose'
import { type DevSigningKey, SIGNING_ALGORITHM } from './dev-signing-key.ts'

export const IDENTITY_PATH = '/idp/'

export interface DevIdentitySettings {
  /** e.g. http://127.0.0.1:3000/idp/ — ends with a slash, as Auth0 issuers do. */
  issuer: string
  audience: string
  key: DevSigningKey
}

/**
 * The development identity provider: publishes its JWKS and discovery document where an OIDC
 * issuer does, and mints RS256 access tokens shaped like Auth0's.
 */
export class DevIdentity {
  readonly issuer: string
  readonly audience: string
  readonly jwksUrl: string
  readonly #key: DevSigningKey
  readonly #jwks: string
  readonly #discovery: string

  constructor(settings: DevIdentitySettings) {
    this.issuer = settings.issuer
    this.audience = settings.audience
    this.#key = settings.key
    this.jwksUrl = new URL('.well-known/jwks.json', settings.issuer).href
    this.#jwks = JSON.stringify({ keys: [settings.key.publicJwk] })
    this.#discovery = JSON.stringify({
      issuer: settings.issuer,
      jwks_uri: this.jwksUrl,
      id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
    })
  }

  mint(options: { userId: string; name?: string; ttlSeconds?: number }): Promise<string> {
    return new SignJWT({ name: options.name ?? options.userId })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: this.#key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(options.userId)
      .setIssuedAt()
      .setExpirationTime(`${options.ttlSeconds ?? 12 * 3600}s`)
      .sign(this.#key.privateKey)
  }

  /** Serves `<issuer>.well-known/*`; answers false for paths that are not its own. */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const path = new URL(request.url ?? '/', this.issuer).pathname
    const body =
      path === new URL(this.jwksUrl).pathname
        ? this.#jwks
        : path === new URL('.well-known/openid-configuration', this.issuer).pathname
          ? this.#discovery
          : undefined
    if (body === undefined) return false
    response.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
    })
    response.end(body)
    return true
  }
}
