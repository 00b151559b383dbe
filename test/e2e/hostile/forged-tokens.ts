import type { webcrypto } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from 'jose'

type Key = webcrypto.CryptoKey

export interface TrustedKey {
  kid: string
  privateKey: Key
}

/**
 * Puts the local identity's signing key into a fresh data folder before the local cloud starts, where
 * `loadOrCreateSigningKey` looks for it (`<data>/identity/signing-key.json`). The test then holds the
 * key the authorizer trusts, so a token that is refused for its `exp`, `nbf`, `iss`, `aud` or `kid`
 * carries a signature that is otherwise valid: the claim alone makes the difference.
 */
export async function seedIdentityKey(dataDir: string): Promise<TrustedKey> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true })
  const kid = 'hostile-suite-key'
  const dir = join(dataDir, 'identity')
  await mkdir(dir, { recursive: true })
  await writeFile(
    join(dir, 'signing-key.json'),
    JSON.stringify({ kid, privateJwk: await exportJWK(privateKey) }),
  )
  return { kid, privateKey }
}

export interface TrustSettings {
  trusted: TrustedKey
  issuer: string
  audience: string
  /** The JWKS the local identity publishes: all an attacker can know about the trusted key. */
  jwksUrl: string
  /** A token the local cloud issued (`env.tokenFor`), for tampering. */
  validToken: string
}

/**
 * One hostile credential, as the REST API gets it (the whole `Authorization` header value, or none) and
 * as the WebSocket API gets it (the `token` query value, or none).
 */
export interface HostileToken {
  name: string
  header: string | undefined
  query: string | undefined
}

const now = () => Math.floor(Date.now() / 1000)

/** A token signed with the trusted key, with the right claims unless `claims`/`header` say otherwise. */
export function mintTrusted(
  settings: TrustSettings,
  overrides: { claims?: JWTPayload; header?: Record<string, unknown>; omit?: Array<'exp' | 'sub'> } = {},
): Promise<string> {
  const claims: JWTPayload = {
    iss: settings.issuer,
    aud: settings.audience,
    sub: 'mallory',
    iat: now(),
    exp: now() + 3600,
    ...overrides.claims,
  }
  for (const name of overrides.omit ?? []) delete claims[name]
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: settings.trusted.kid, typ: 'JWT', ...overrides.header })
    .sign(settings.trusted.privateKey)
}

/** Every credential the authorizers must refuse, each forged with real crypto. */
export async function hostileTokens(settings: TrustSettings): Promise<HostileToken[]> {
  const jwks = (await (await fetch(settings.jwksUrl)).json()) as { keys: JWK[] }
  const publicJwk = jwks.keys.find((key) => key.kid === settings.trusted.kid)
  if (publicJwk === undefined) throw new Error(`the JWKS does not publish ${settings.trusted.kid}`)
  const publicPem = await exportSPKI((await importJWK(publicJwk, 'RS256', { extractable: true })) as Key)
  const attacker = await generateKeyPair('RS256', { extractable: true })
  const attackerJwk = await exportJWK(attacker.publicKey)
  const rightClaims = (sub: string): JWTPayload => ({
    iss: settings.issuer,
    aud: settings.audience,
    sub,
    iat: now(),
    exp: now() + 3600,
  })

  const unsecured = new UnsecuredJWT(rightClaims('mallory')).encode()
  const [validHeader = '', validPayload = '', validSignature = ''] = settings.validToken.split('.')
  const tamperedPayload = base64url.encode(
    JSON.stringify({
      ...JSON.parse(new TextDecoder().decode(base64url.decode(validPayload))),
      sub: 'mallory',
    }),
  )
  const hmacWith = (secret: string) =>
    new SignJWT(rightClaims('mallory'))
      .setProtectedHeader({ alg: 'HS256', kid: settings.trusted.kid, typ: 'JWT' })
      .sign(new TextEncoder().encode(secret))
  const signedByAttacker = (header: Record<string, unknown>, claims: JWTPayload) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header }).sign(attacker.privateKey)

  const tokens: Array<[string, string]> = [
    ['garbage', 'not-a-jwt'],
    ['three garbage parts', 'aaa.bbb.ccc'],
    ['alg none, empty signature', unsecured],
    ['alg none, made-up signature', `${unsecured}c2lnbmF0dXJl`],
    ['HS256 signed with the public key PEM (algorithm confusion)', await hmacWith(publicPem)],
    ['HS256 signed with the public JWK (algorithm confusion)', await hmacWith(JSON.stringify(publicJwk))],
    ['expired', await mintTrusted(settings, { claims: { iat: now() - 7200, exp: now() - 3600 } })],
    ['not yet valid (nbf in the future)', await mintTrusted(settings, { claims: { nbf: now() + 3600 } })],
    ['wrong iss', await mintTrusted(settings, { claims: { iss: 'https://evil.example/' } })],
    [
      'iss without its trailing slash',
      await mintTrusted(settings, { claims: { iss: settings.issuer.replace(/\/$/, '') } }),
    ],
    ['wrong aud', await mintTrusted(settings, { claims: { aud: 'https://another-api' } })],
    ['unknown kid', await mintTrusted(settings, { header: { kid: 'no-such-key' } })],
    ['no exp', await mintTrusted(settings, { omit: ['exp'] })],
    ['no sub', await mintTrusted(settings, { omit: ['sub'] })],
    ['empty sub', await mintTrusted(settings, { claims: { sub: '' } })],
    ['tampered payload (sub changed, signature kept)', `${validHeader}.${tamperedPayload}.${validSignature}`],
    [
      'a second, untrusted issuer with its own key',
      await signedByAttacker(
        { kid: 'second-issuer-key' },
        { ...rightClaims('mallory'), iss: 'https://second.example/' },
      ),
    ],
    [
      'another key claiming the trusted issuer and kid',
      await signedByAttacker({ kid: settings.trusted.kid }, rightClaims('mallory')),
    ],
    [
      'its own key embedded in the header (jwk)',
      await signedByAttacker({ jwk: attackerJwk }, rightClaims('mallory')),
    ],
  ]
  return [
    { name: 'no credential at all', header: undefined, query: undefined },
    { name: 'Bearer without a token', header: 'Bearer', query: '' },
    {
      name: 'another scheme (Basic)',
      header: 'Basic bWFsbG9yeTpwYXNzd29yZA==',
      query: 'bWFsbG9yeTpwYXNzd29yZA==',
    },
    ...tokens.map(([name, token]) => ({ name, header: `Bearer ${token}`, query: token })),
  ]
}
