import { type ChildProcess, fork } from 'node:child_process'
import { getCompileCacheDir } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { StreamSource } from '../streams/stream-source.ts'
import { type DynaliteProcessOptions, isChildMessage, type ParentMessage } from './dynalite-protocol.ts'
import { ipcStreamSource } from './ipc-stream-source.ts'

export type LocalDynamoDbStorage =
  | {
      kind: 'disk'
      /** The LevelDB folder. */
      dir: string
      /** The tables' stream logs; `<dir>-streams` by default. */
      streamsDir?: string
    }
  | { kind: 'memory' }

export interface LocalDynamoDbOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  storage: LocalDynamoDbStorage
  /** For the tables' and streams' ARNs and the records' awsRegion; `us-east-1` by default. */
  region?: string
  /** For the ARNs; `000000000000` by default. */
  accountId?: string
}

export interface LocalDynamoDb {
  /** `http://host:port`, for the SDK client's `endpoint`. */
  endpoint: string
  pid: number
  /**
   * The DynamoDB Streams of the tables that have a StreamSpecification: every acknowledged write to
   * such a table has its record here (kept on disk beside the LevelDB folder in disk mode).
   */
  streams: StreamSource
  /** Closes the server and flushes LevelDB, then waits for the process to exit. Safe to call twice. */
  close(): Promise<void>
}

/** A LevelDB open plus a listen takes well under a second; anything longer is a hung child. */
const READY_TIMEOUT_MS = 10_000
/** How long close() waits for a clean exit before killing the process. */
const CLOSE_TIMEOUT_MS = 5_000

const entry = fileURLToPath(new URL('./dynalite-process.ts', import.meta.url))

/**
 * Node's compile cache also keeps the type-stripped entry file. Measured on Node 24.21, 2 cores, quiet:
 * start-to-ready median 85 ms with it, 180 ms without (type-stripping the entry costs ~65 ms, loading
 * dynalite ~15 ms more when not cached). Entries are keyed by Node version and source hash, so sharing
 * the parent's folder, or Node's own default one, is safe.
 */
function compileCacheDir(): string {
  return getCompileCacheDir() ?? join(tmpdir(), 'node-compile-cache')
}

/**
 * Starts dynalite (DynamoDB on LevelDB) in a child process of its own, so that it runs on another core
 * than the gateway and handlers. The child exits by itself when this process goes away.
 */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions): Promise<LocalDynamoDb> {
  const childOptions: DynaliteProcessOptions = {
    host: options.host,
    port: options.port,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
  }
  if (options.storage.kind === 'disk') {
    childOptions.dir = options.storage.dir
    childOptions.streamsDir = options.storage.streamsDir ?? `${options.storage.dir}-streams`
  }

  // Node 24 strips the types of the .ts entry itself; empty execArgv keeps the parent's flags
  // (`--test`, inspector, …) out of the child.
  const child = fork(entry, [JSON.stringify(childOptions)], {
    execPath: process.execPath,
    // dynalite allocates fast under load and V8 then grows a 16 MB x 3 young generation: a 1 MB
    // semi-space halved its peak RSS (about 240 -> 125 MB) at the same CPU per request (`npm run bench`).
    execArgv: ['--max-semi-space-size=1'],
    env: { ...process.env, NODE_COMPILE_CACHE: compileCacheDir() },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  })
  // An IPC write to a child that just died is reported here; the 'exit' event tells the real story.
  child.on('error', () => {})
  const pid = child.pid
  if (pid === undefined) throw new Error('local DynamoDB: could not start the dynalite process')

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let port: number
  try {
    port = await waitForReady(child)
  } catch (error) {
    child.kill('SIGKILL')
    await exited
    throw error
  }

  // An idle local DynamoDB must not keep this process alive; the child notices our exit by itself.
  child.unref()
  child.channel?.unref()
  const streams = ipcStreamSource(child)
  child.on('message', (message: unknown) => {
    if (isChildMessage(message)) streams.receive(message)
  })
  child.once('exit', (code, signal) => streams.end(`dynalite exited (code ${code}, signal ${signal})`))

  let closed: Promise<void> | undefined
  return {
    endpoint: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    pid,
    streams,
    close() {
      streams.end('local DynamoDB is closed')
      closed ??= closeChild(child, exited)
      return closed
    },
  }
}

function waitForReady(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`local DynamoDB: dynalite was not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    )
    function fail(error: Error): void {
      cleanUp()
      reject(error)
    }
    function onMessage(message: unknown): void {
      if (!isChildMessage(message) || (message.type !== 'ready' && message.type !== 'failed')) return
      cleanUp()
      if (message.type === 'ready') resolve(message.port)
      else reject(new Error(`local DynamoDB: dynalite failed to start: ${message.message}`))
    }
    function onExit(code: number | null, signal: NodeJS.Signals | null): void {
      fail(new Error(`local DynamoDB: dynalite exited before it was ready (code ${code}, signal ${signal})`))
    }
    function cleanUp(): void {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      child.off('error', fail)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
    child.once('error', fail)
  })
}

async function closeChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.ref()
  child.channel?.ref()
  const message: ParentMessage = { type: 'close' }
  if (child.connected) {
    child.send(message, (error) => {
      if (error) child.kill('SIGTERM')
    })
  } else {
    child.kill('SIGTERM')
  }
  const killer = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS)
  try {
    await exited
  } finally {
    clearTimeout(killer)
  }
}
