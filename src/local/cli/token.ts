import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { mintAccessToken } from '../identity/access-token-minter.ts'
import { loadOrCreateSigningKey } from '../identity/dev-signing-key.ts'
import { IDENTITY_PATH, WEB_CLIENT_ID, WEB_CLIENT_SCOPES } from '../identity/local-identity.ts'
import { readStoredSecret } from '../secretsmanager/secret-store.ts'
import { DEFAULT_DATA_DIR, parsePort } from './cli-options.ts'

/**
 * `npm run token -- --user alice [--data <dir>] [--ttl <seconds>]`: prints a bearer token the local
 * cloud using that data folder accepts, alone on the last line. A shortcut for scripts: the token is
 * shaped like the access tokens the local OpenID provider issues after a sign-in (same key, issuer,
 * audience and claims), without the browser flow.
 */
const { values } = parseArgs({
  options: {
    user: { type: 'string', default: 'alice' },
    name: { type: 'string' },
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    ttl: { type: 'string', default: String(12 * 3600) },
  },
})

const dataDir = resolve(values.data)
const ttlSeconds = Number(values.ttl)
if (!/^[A-Za-z0-9@._-]{1,128}$/.test(values.user) || !Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
  console.error('usage: npm run token -- --user <id: letters, digits, @._-> [--data <dir>] [--ttl <seconds>]')
  process.exit(2)
}

const { signing, ...auth } = await issuerOf(dataDir)
const token = await mintAccessToken(signing ?? { key: await loadOrCreateSigningKey(dataDir) }, {
  ...auth,
  clientId: WEB_CLIENT_ID,
  scope: WEB_CLIENT_SCOPES,
  userId: values.user,
  name: values.name ?? values.user,
  ttlSeconds,
})
console.error(`token for ${values.user}, issuer ${auth.issuer}, valid ${ttlSeconds} s:`)
console.log(token)

/**
 * The issuer of the local cloud that last started on this data folder, or of one on PORT; and, in HS256
 * mode, the shared secret its tokens are signed with.
 */
async function issuerOf(
  dir: string,
): Promise<{ issuer: string; audience: string; signing?: { sharedSecret: string } }> {
  try {
    const endpoints = JSON.parse(await readFile(join(dir, 'endpoints.json'), 'utf8')) as {
      auth?: { issuer?: string; audience?: string; algorithm?: string; secretId?: string }
      oidc?: { issuer?: string; audience?: string }
    }
    // The local provider's issuer, even when the authorizer trusts another one (`auth`).
    if (endpoints.oidc?.issuer && endpoints.oidc.audience) {
      return {
        issuer: endpoints.oidc.issuer,
        audience: endpoints.oidc.audience,
        ...(endpoints.auth?.algorithm === 'HS256' && {
          signing: { sharedSecret: await sharedSecretOf(dir, endpoints.auth.secretId ?? '') },
        }),
      }
    }
    if (endpoints.auth?.issuer && endpoints.auth.audience) {
      return { issuer: endpoints.auth.issuer, audience: endpoints.auth.audience }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  return {
    issuer: `http://127.0.0.1:${parsePort(process.env.PORT)}${IDENTITY_PATH}`,
    audience: 'https://udagram-api',
  }
}

async function sharedSecretOf(dir: string, secretId: string): Promise<string> {
  const secret = await readStoredSecret(dir, secretId)
  if (secret === undefined) throw new Error(`HS256 mode, but the data folder holds no secret "${secretId}"`)
  return secret
}
