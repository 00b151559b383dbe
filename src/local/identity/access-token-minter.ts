import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import { type DevSigningKey, SIGNING_ALGORITHM } from './dev-signing-key.ts'

export interface AccessTokenClaims {
  issuer: string
  audience: string
  clientId: string
  scope: string
  userId: string
  name?: string
  ttlSeconds?: number
}

/** How access tokens for the API are signed: the provider's RS256 key, or HS256 with the shared secret. */
export type AccessTokenSigning = { key: DevSigningKey } | { sharedSecret: string }

/**
 * An access token shaped like those the local OpenID provider issues (RFC 9068 `at+jwt`, same key,
 * issuer, audience and claims), without a sign-in: the shortcut of `npm run token` and the tests.
 */
export function mintAccessToken(signing: AccessTokenSigning, claims: AccessTokenClaims): Promise<string> {
  const jwt = new SignJWT({
    name: claims.name ?? claims.userId,
    client_id: claims.clientId,
    scope: claims.scope,
  })
  if ('sharedSecret' in signing) jwt.setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
  else jwt.setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: signing.key.kid, typ: 'at+jwt' })
  return jwt
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.userId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? 12 * 3600}s`)
    .sign('sharedSecret' in signing ? new TextEncoder().encode(signing.sharedSecret) : signing.key.privateKey)
}
