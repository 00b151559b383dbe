/**
 * Entry point of the child process that runs dynalite, forked by `startLocalDynamoDb`. It runs in its
 * own process so that DynamoDB emulation (about 0.5-0.75 ms of CPU per request, measured with
 * `npm run bench`) gets the second core instead of competing with the gateway
 * and handlers. It also keeps the tables' DynamoDB Streams (streams/install-stream-capture.ts). It
 * speaks to the parent over IPC only: `ready`/`failed` and stream answers and notices out; `close` and
 * stream requests in.
 */
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { closeIteratorsOnReturn } from './dynalite-iterator-fix.ts'
import {
  type ChildMessage,
  type DynaliteProcessOptions,
  isParentMessage,
  type ParentMessage,
} from './dynalite-protocol.ts'
import { forgetStreamsOfMissingTables } from './streams/capture-table-changes.ts'
import { loadDynaliteWithStreams } from './streams/install-stream-capture.ts'
import type { StreamRegistry } from './streams/stream-registry.ts'

interface LevelDb {
  open(): Promise<void>
  close(): Promise<void>
}

const require = createRequire(import.meta.url)
// Resolved only: dynalite itself is loaded by loadDynaliteWithStreams, after the capture is installed.
const requireFromDynalite = createRequire(require.resolve('dynalite'))
// The abstract-level that dynalite's memory-level and level load, resolved from dynalite's own folder.
closeIteratorsOnReturn(
  createRequire(requireFromDynalite.resolve('memory-level'))('abstract-level') as Record<string, unknown>,
)
// The very `level` dynalite itself loads, resolved from dynalite's own folder.
const { Level } = requireFromDynalite('level') as {
  Level: new (dir: string) => LevelDb
}

/** Connections still busy after this long are cut so that the database can close and flush. */
const CONNECTION_DRAIN_MS = 1000

function send(message: ChildMessage): void {
  process.send?.(message)
}

function readOptions(): DynaliteProcessOptions {
  const raw: unknown = JSON.parse(process.argv[2] ?? 'null')
  if (typeof raw !== 'object' || raw === null) throw new Error('dynalite-process: missing options argument')
  const { host, port, dir, streamsDir, region, accountId } = raw as Record<string, unknown>
  if (
    typeof host !== 'string' ||
    typeof port !== 'number' ||
    (dir !== undefined && typeof dir !== 'string') ||
    (streamsDir !== undefined && typeof streamsDir !== 'string') ||
    typeof region !== 'string' ||
    typeof accountId !== 'string'
  ) {
    throw new Error(`dynalite-process: invalid options ${process.argv[2]}`)
  }
  const options: DynaliteProcessOptions = { host, port, region, accountId }
  if (dir !== undefined) options.dir = dir
  if (streamsDir !== undefined) options.streamsDir = streamsDir
  return options
}

/** Sends at most one `appended` notice per table per event-loop turn, however many writes it saw. */
function appendNotifier(): (tableName: string) => void {
  const appended = new Set<string>()
  const flush = (): void => {
    for (const tableName of appended) send({ type: 'appended', tableName })
    appended.clear()
  }
  return (tableName) => {
    if (appended.size === 0) setImmediate(flush)
    appended.add(tableName)
  }
}

function answerStreamRequest(
  registry: StreamRegistry,
  message: Exclude<ParentMessage, { type: 'close' }>,
): void {
  try {
    switch (message.type) {
      case 'streams':
        send({ type: 'streams-result', id: message.id, streams: registry.list() })
        break
      case 'read':
        send({
          type: 'read-result',
          id: message.id,
          records: registry.read(message.tableName, message.after, message.limit),
        })
        break
      case 'trim':
        registry.trim(message.tableName, message.upTo)
        break
    }
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error)
    if (message.type === 'trim') console.error(`dynalite-process: trim of ${message.tableName} failed`, error)
    else send({ type: 'request-failed', id: message.id, message: text })
  }
}

/**
 * dynalite opens LevelDB lazily and throws from inside a request handler when it cannot (the folder is
 * locked by another local cloud, say), which would kill this process at the first request. Opening the
 * folder once here turns that into a startup failure with a message. It costs a few milliseconds.
 */
async function checkFolderOpens(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true })
  const probe = new Level(dir)
  try {
    await probe.open()
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)
    throw new Error(`cannot open the LevelDB folder ${dir} (is another local cloud using it?): ${cause}`)
  }
  await probe.close()
}

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('dynalite-process must be started with an IPC channel')
  const options = readOptions()
  if (options.dir !== undefined) await checkFolderOpens(options.dir)
  const { dynalite, registry, store } = loadDynaliteWithStreams(requireFromDynalite, {
    dir: options.streamsDir,
    region: options.region,
    accountId: options.accountId,
    onAppend: appendNotifier(),
  })

  // Tables are ACTIVE at once: nothing local should wait half a second per table like dynalite's default.
  const server = dynalite({
    ...(options.dir === undefined ? {} : { path: options.dir }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  })
  await forgetStreamsOfMissingTables(store(), registry)

  let closing = false
  function close(): void {
    if (closing) return
    closing = true
    // dynalite's server.close() also closes LevelDB once in-flight operations end, which flushes it.
    server.close((error) => {
      if (error) console.error('dynalite-process: close failed', error)
      registry.close()
      process.exit(error ? 1 : 0)
    })
    server.closeIdleConnections()
    setTimeout(() => server.closeAllConnections(), CONNECTION_DRAIN_MS).unref()
  }

  process.on('message', (message: unknown) => {
    if (!isParentMessage(message)) return
    if (message.type === 'close') close()
    else answerStreamRequest(registry, message)
  })
  // The parent is gone (exited or crashed): close cleanly instead of lingering as an orphan.
  process.on('disconnect', close)
  // Ctrl-C in a terminal reaches the whole process group, this child included: flush before leaving.
  process.on('SIGINT', close)
  process.on('SIGTERM', close)

  server.once('error', (error) => {
    send({ type: 'failed', message: error.message })
    process.exit(1)
  })
  server.listen(options.port, options.host, () => {
    send({ type: 'ready', port: (server.address() as AddressInfo).port })
  })
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
  process.exit(1)
})
