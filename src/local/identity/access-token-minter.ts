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

/**
 * An access token shaped like those the local OpenID provider issues (RFC 9068 `at+jwt`, same key,
 * issuer, audience and claims), without a sign-in: the shortcut of `npm run token` and the tests.
 */
export function mintAccessToken(key: DevSigningKey, claims: AccessTokenClaims): Promise<string> {
  return new SignJWT({ name: claims.name ?? claims.userId, client_id: claims.clientId, scope: claims.scope })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.userId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? 12 * 3600}s`)
    .sign(key.privateKey)
}
