import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The keys oidc-provider signs its cookies with (session, interaction), made on first start and kept
 * beside the signing key, so a restarted local cloud still reads the cookies of the last one.
 */
export async function loadOrCreateCookieKeys(dataDir: string): Promise<string[]> {
  const dir = join(dataDir, 'identity')
  const file = join(dir, 'cookie-keys.json')
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { keys?: unknown }
    if (
      Array.isArray(stored.keys) &&
      stored.keys.every((key) => typeof key === 'string') &&
      stored.keys.length
    ) {
      return stored.keys as string[]
    }
    throw new Error(`${file}: expected { "keys": ["..."] }`)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await mkdir(dir, { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, JSON.stringify({ keys: [randomBytes(32).toString('base64url')] }), {
    mode: 0o600,
  })
  // Two starts racing on a fresh folder: the first rename wins and both then read the same keys.
  await rename(temporary, file)
  return loadOrCreateCookieKeys(dataDir)
}
