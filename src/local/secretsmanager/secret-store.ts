import { randomBytes, randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateSecret } from './generate-secret.ts'
import type { SecretDefinition } from './secret-definitions.ts'

export interface StoredSecret {
  name: string
  arn: string
  versionId: string
  secretString: string
  /** Epoch seconds, as Secrets Manager's API reports dates. */
  createdDate: number
  description?: string
}

/**
 * The secrets of serverless.ts with their values, kept in `<dataDir>/secrets/secrets.json` (owner-only
 * file), also in --in-memory mode: a generated secret is what tokens were signed with, so it must
 * outlive a restart, as the identity's signing key does. A literal value follows serverless.ts.
 */
export async function loadOrCreateSecrets(options: {
  dataDir: string
  definitions: readonly SecretDefinition[]
  region: string
  accountId: string
  clock?: () => Date
}): Promise<Map<string, StoredSecret>> {
  const file = join(options.dataDir, 'secrets', 'secrets.json')
  const stored = await readStored(file)
  const now = options.clock ?? (() => new Date())
  const secrets = new Map<string, StoredSecret>()
  let changed = false
  for (const definition of options.definitions) {
    const previous = stored[definition.name]
    const literal = definition.value.kind === 'literal' ? definition.value.secretString : undefined
    if (previous !== undefined && (literal === undefined || previous.secretString === literal)) {
      secrets.set(definition.name, { ...previous, ...descriptionOf(definition) })
      continue
    }
    changed = true
    secrets.set(definition.name, {
      name: definition.name,
      // Secrets Manager appends six random characters to the name in every secret's ARN.
      arn: `arn:aws:secretsmanager:${options.region}:${options.accountId}:secret:${definition.name}-${randomBytes(3).toString('hex')}`,
      versionId: randomUUID(),
      secretString:
        definition.value.kind === 'literal'
          ? definition.value.secretString
          : generateSecret(definition.value.spec),
      createdDate: Math.floor(now().getTime() / 1000),
      ...descriptionOf(definition),
    })
  }
  if (changed) {
    await mkdir(join(options.dataDir, 'secrets'), { recursive: true, mode: 0o700 })
    const temporary = `${file}.${process.pid}.tmp`
    await writeFile(temporary, JSON.stringify({ ...stored, ...Object.fromEntries(secrets) }, null, 2), {
      mode: 0o600,
    })
    await rename(temporary, file)
  }
  return secrets
}

async function readStored(file: string): Promise<Record<string, StoredSecret>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, StoredSecret>
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw error
  }
}

const descriptionOf = (definition: SecretDefinition) =>
  definition.description === undefined ? {} : { description: definition.description }

/** A secret's value as the local cloud that last used this data folder keeps it; undefined if none. */
export async function readStoredSecret(dataDir: string, name: string): Promise<string | undefined> {
  return (await readStored(join(dataDir, 'secrets', 'secrets.json')))[name]?.secretString
}
