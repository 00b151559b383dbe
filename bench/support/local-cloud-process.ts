import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const projectRoot = fileURLToPath(new URL('../../', import.meta.url))

export interface LocalCloudProcess {
  /** The local cloud's Node process: its gateway, function threads and console. */
  pid: number
  endpoints: { rest: string; websocket: string; console?: string }
  /** A bearer token for `userId` from `npm run token`, as a script would get one. */
  tokenFor(userId: string): Promise<string>
  stop(): Promise<void>
}

/**
 * The local cloud as `npm start` runs it (`bin/start.mjs`, its own process, data in memory, free
 * ports, functions logging warnings only unless `env` says otherwise, more `npm start` options in
 * `args`), for the benchmarks that measure it from outside.
 */
export async function startLocalCloudProcess(
  name: string,
  options: { args?: string[]; env?: Record<string, string> } = {},
): Promise<LocalCloudProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), `udagram-${name}-`))
  const cloud = spawn(
    process.execPath,
    [join(projectRoot, 'bin/start.mjs'), '--in-memory', '--data', dataDir, ...(options.args ?? [])],
    {
      env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'WARN', ...options.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const stop = async () => {
    if (cloud.exitCode === null) {
      cloud.kill('SIGTERM')
      await new Promise((resolve) => cloud.once('exit', resolve))
    }
    await rm(dataDir, { recursive: true, force: true })
  }
  try {
    let printed = ''
    cloud.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString()
    })
    const deadline = Date.now() + 30_000
    while (!printed.includes('REST API')) {
      if (Date.now() > deadline || cloud.exitCode !== null) throw new Error('the local cloud did not start')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const endpoints = JSON.parse(
      await readFile(join(dataDir, 'endpoints.json'), 'utf8'),
    ) as LocalCloudProcess['endpoints']
    return { pid: cloud.pid ?? 0, endpoints, tokenFor: (userId) => tokenFor(userId, dataDir), stop }
  } catch (error) {
    await stop()
    throw error
  }
}

async function tokenFor(userId: string, dataDir: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'src/local/cli/token.ts'), '--user', userId, '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  await new Promise((resolve) => child.once('exit', resolve))
  return output.trim().split('\n').at(-1) ?? ''
}
