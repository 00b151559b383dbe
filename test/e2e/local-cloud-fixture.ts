import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from '#local/local-cloud.ts'

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url))

export interface RunningCloud {
  cloud: LocalCloud
  rest: string
  dataDir: string
  tokenFor(userId: string): Promise<string>
  stop(): Promise<void>
}

/** A local cloud on free ports with its data in memory (or in `dataDir`), for end-to-end tests. */
export async function startTestCloud(options: Partial<LocalCloudOptions> = {}): Promise<RunningCloud> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'udagram-e2e-')))
  const cloud = await startLocalCloud({ projectRoot, dataDir, inMemory: true, port: 0, ...options })
  return {
    cloud,
    rest: cloud.endpoints.rest,
    dataDir,
    tokenFor: (userId) => cloud.identity.mint({ userId }),
    stop: async () => {
      await cloud.stop()
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true })
    },
  }
}

export async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>
}

/**
 * Reads until `done` holds, every 100 ms, for things that happen after the answer (events, streams):
 * the last value read is in the error when it never does.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
