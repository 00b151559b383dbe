import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose'
import type { TokenVerifier, VerifiedCaller } from '#core/ports/token-verifier.ts'

export interface JoseTokenVerifierOptions {
  issuer: string
  audience: string
  /** Fetched once, then cached; refetched when a token names an unknown key id (key rotation). */
  jwksUrl: string
  algorithms?: string[]
  clockToleranceSeconds?: number
  /** Minimum time between two JWKS fetches, so tokens with made-up key ids cannot flood the issuer. */
  jwksCooldownMs?: number
}

/** Verifies OIDC access tokens the way Auth0's are meant to be checked: JWKS signature, iss, aud, exp, nbf. */
export class JoseTokenVerifier implements TokenVerifier {
  readonly #keys: JWTVerifyGetKey
  readonly #options: JoseTokenVerifierOptions

  constructor(options: JoseTokenVerifierOptions) {
    this.#options = options
    this.#keys = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: 600_000,
    })
  }

  async verify(token: string): Promise<VerifiedCaller> {
    const { payload } = await jwtVerify(token, this.#keys, {
      issuer: this.#options.issuer,
      audience: this.#options.audience,
      algorithms: this.#options.algorithms ?? ['RS256'],
      clockTolerance: this.#options.clockToleranceSeconds ?? 5,
      requiredClaims: ['sub', 'exp'],
    })
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new Error('token has no subject')
    return { userId: payload.sub }
  }
}
