import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose'
import type { TokenVerifier, VerifiedCaller } from '#core/ports/token-verifier.ts'

interface ClaimChecks {
  issuer: string
  audience: string
  clockToleranceSeconds?: number
}

/** RS256: the issuer's public keys, from its JWKS (Auth0, Cognito, Keycloak, the local provider). */
interface JwksKeys {
  /** Fetched once, then cached; refetched when a token names an unknown key id (key rotation). */
  jwksUrl: string
  /** Minimum time between two JWKS fetches, so tokens with made-up key ids cannot flood the issuer. */
  jwksCooldownMs?: number
}

/** HS256: the secret the issuer signs with (an Auth0 API's signing secret). */
interface SharedSecretKey {
  sharedSecret: Uint8Array
}

export type JoseTokenVerifierOptions = ClaimChecks & (JwksKeys | SharedSecretKey)

/**
 * Verifies access tokens the way Auth0's are meant to be checked: signature, iss, aud, exp, nbf. The
 * algorithm is pinned by the kind of key, so a token cannot choose how it is checked: an HS256 token
 * "signed" with the RS256 public key, or an RS256 token sent to an HS256 authorizer, is refused.
 */
export class JoseTokenVerifier implements TokenVerifier {
  readonly #key: JWTVerifyGetKey | Uint8Array
  readonly #algorithm: 'RS256' | 'HS256'
  readonly #checks: ClaimChecks

  constructor(options: JoseTokenVerifierOptions) {
    this.#checks = options
    if ('sharedSecret' in options) {
      this.#key = options.sharedSecret
      this.#algorithm = 'HS256'
    } else {
      this.#key = createRemoteJWKSet(new URL(options.jwksUrl), {
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: 600_000,
      })
      this.#algorithm = 'RS256'
    }
  }

  async verify(token: string): Promise<VerifiedCaller> {
    const verifyOptions = {
      issuer: this.#checks.issuer,
      audience: this.#checks.audience,
      algorithms: [this.#algorithm],
      clockTolerance: this.#checks.clockToleranceSeconds ?? 5,
      requiredClaims: ['sub', 'exp'],
    }
    // Two calls because jose types its key argument as either a key or a key getter, not both.
    const { payload } =
      this.#key instanceof Uint8Array
        ? await jwtVerify(token, this.#key, verifyOptions)
        : await jwtVerify(token, this.#key, verifyOptions)
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new Error('token has no subject')
    return { userId: payload.sub }
  }
}
