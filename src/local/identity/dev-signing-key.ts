import { randomUUID, type webcrypto } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'

export const SIGNING_ALGORITHM = 'RS256'

export interface DevSigningKey {
  kid: string
  privateKey: webcrypto.CryptoKey
  /** What oidc-provider's `jwks` option takes: the same key, so its tokens verify with the published JWKS. */
  privateJwk: JWK
  publicJwk: JWK
}

/**
 * The local identity's RS256 key, made on first start and kept in the data folder (also in
 * --in-memory mode, so `npm run token` and a restarted local cloud keep agreeing on it).
 */
export async function loadOrCreateSigningKey(dataDir: string): Promise<DevSigningKey> {
  const dir = join(dataDir, 'identity')
  const file = join(dir, 'signing-key.json')
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { kid: string; privateJwk: JWK }
    return fromPrivateJwk(stored.kid, stored.privateJwk)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { modulusLength: 2048, extractable: true })
  const kid = `udagram-local-${randomUUID().slice(0, 8)}`
  const privateJwk = await exportJWK(privateKey)
  await mkdir(dir, { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, JSON.stringify({ kid, privateJwk }), { mode: 0o600 })
  // Two starts racing on a fresh folder: the first rename wins and both then read the same key.
  await rename(temporary, file)
  return loadOrCreateSigningKey(dataDir)
}

async function fromPrivateJwk(kid: string, privateJwk: JWK): Promise<DevSigningKey> {
  const privateKey = (await importJWK(privateJwk, SIGNING_ALGORITHM)) as webcrypto.CryptoKey
  const { kty, n, e } = privateJwk
  return {
    kid,
    privateKey,
    privateJwk: { ...privateJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
    publicJwk: { kty, n, e, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
  }
}
