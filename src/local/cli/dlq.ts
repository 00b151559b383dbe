import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEAD_LETTERS_PATH } from '../lambda/async/dead-letter-admin.ts'
import { type DeadLetter, DiskDeadLetterStore } from '../lambda/async/dead-letter-store.ts'
import { DEFAULT_DATA_DIR } from './cli-options.ts'

/**
 * `npm run dlq -- list [--data <dir>]`: the asynchronous invocations the local cloud gave up on.
 * `npm run dlq -- replay <id> [--data <dir>]`: has the running local cloud try one of them again.
 *
 * `list` asks the local cloud running on that data folder (the only way to see an `--in-memory` run's
 * entries) and reads `<dir>/dead-letters/` itself when none answers. `replay` needs the running cloud:
 * the event must run in its functions, with its endpoints.
 */
const USAGE = 'usage: npm run dlq -- list [--data <dir>]\n       npm run dlq -- replay <id> [--data <dir>]'

const { values, positionals } = parseArgs({
  options: { data: { type: 'string', default: DEFAULT_DATA_DIR } },
  allowPositionals: true,
})
const dataDir = resolve(values.data)
const [command, id, ...extra] = positionals

if (command === 'list' && id === undefined) {
  await list()
} else if (command === 'replay' && id !== undefined && extra.length === 0) {
  process.exitCode = await replay(id)
} else {
  console.error(USAGE)
  process.exitCode = 2
}

async function list(): Promise<void> {
  const origin = await cloudOrigin()
  const fromCloud = origin === undefined ? undefined : await listFromCloud(origin)
  const entries = fromCloud ?? (await new DiskDeadLetterStore(dataDir).list())
  const where = fromCloud === undefined ? join(dataDir, 'dead-letters') : `the local cloud at ${origin}`
  if (entries.length === 0) {
    console.log(`no dead letters (${where})`)
    return
  }
  console.log(`${entries.length} dead letter${entries.length === 1 ? '' : 's'}, oldest first (${where}):`)
  for (const entry of entries) console.log(`\n${describe(entry)}`)
  console.log('\nreplay one with: npm run dlq -- replay <id>')
}

async function replay(deadLetterId: string): Promise<number> {
  const origin = await cloudOrigin()
  const notRunning = `replay needs the local cloud running on ${dataDir}: start it with npm start -- --data ${values.data}`
  if (origin === undefined) {
    console.error(notRunning)
    return 1
  }
  const response = await request(`${origin}${DEAD_LETTERS_PATH}/${encodeURIComponent(deadLetterId)}/replay`, {
    method: 'POST',
  })
  if (response === undefined) {
    console.error(`${notRunning} (nothing answers on ${origin})`)
    return 1
  }
  const body = (await response.json().catch(() => ({}))) as { eventId?: string; message?: string }
  if (response.status === 202) {
    console.log(`replayed ${deadLetterId} as event ${body.eventId}; it is gone from the dead letters`)
    return 0
  }
  console.error(`replay failed (${response.status}): ${body.message ?? 'no message'}`)
  return 1
}

/** The origin of the REST port of the local cloud that last started on this data folder. */
async function cloudOrigin(): Promise<string | undefined> {
  let text: string
  try {
    text = await readFile(join(dataDir, 'endpoints.json'), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const rest = (JSON.parse(text) as { rest?: unknown }).rest
  return typeof rest === 'string' ? new URL(rest).origin : undefined
}

async function listFromCloud(origin: string): Promise<DeadLetter[] | undefined> {
  const response = await request(`${origin}${DEAD_LETTERS_PATH}`, { method: 'GET' })
  if (response?.status !== 200) return undefined
  const body = (await response.json().catch(() => undefined)) as { items?: unknown } | undefined
  return Array.isArray(body?.items) ? (body.items as DeadLetter[]) : undefined
}

/** Undefined when nothing listens there: endpoints.json outlives the local cloud that wrote it. */
async function request(url: string, init: RequestInit): Promise<Response | undefined> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) })
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return undefined
    throw error
  }
}

function describe(entry: DeadLetter): string {
  const error = entry.lastError
  const destination =
    entry.destination === undefined
      ? []
      : [
          `  on AWS it would go to ${typeof entry.destination === 'string' ? entry.destination : JSON.stringify(entry.destination)}`,
        ]
  return [
    entry.id,
    `  function ${entry.functionName}, from ${entry.source}, ${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'}, ${entry.condition}`,
    `  error    ${error.type === undefined ? error.kind : error.type}: ${error.message}`,
    `  when     first tried ${entry.firstAttemptAt}, given up ${entry.failedAt}`,
    ...destination,
  ].join('\n')
}
