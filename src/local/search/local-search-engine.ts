import { Worker } from 'node:worker_threads'
import type { EventLogger } from '../events/event-logger.ts'
import type { FromSearchEngine, SearchEngineSetup, ToSearchEngine } from './search-engine-protocol.ts'

export interface LocalSearchEngine {
  /** What the functions get as SEARCH_ENDPOINT (with SEARCH_ENGINE=local). */
  endpoint: string
  /** Builds the index from the tables, once they exist; `rebuilt` resolves when it is done. */
  rebuildFromTables(): void
  /** Resolves with the number of images once the startup rebuild from the table is done. */
  rebuilt: Promise<number>
  close(): Promise<void>
}

/** Starts the embedded search engine in a thread of its own (see search-engine-worker.ts). */
export async function startLocalSearchEngine(
  setup: SearchEngineSetup,
  logger: EventLogger,
): Promise<LocalSearchEngine> {
  const worker = new Worker(new URL('./search-engine-worker.ts', import.meta.url), {
    workerData: setup,
    name: 'search-engine',
  })
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  let resolveRebuilt: (images: number) => void = () => {}
  let rejectRebuilt: (error: Error) => void = () => {}
  const rebuilt = new Promise<number>((resolve, reject) => {
    resolveRebuilt = resolve
    rejectRebuilt = reject
  })
  rebuilt.catch(() => {})

  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (message: FromSearchEngine) => {
      switch (message.type) {
        case 'ready':
          return resolve(message.port)
        case 'failed':
          return reject(new Error(`local search engine: ${message.message}`))
        case 'rebuilt':
          return resolveRebuilt(message.images)
        case 'unreadable-item':
          return logger.warn('search index rebuild skipped an item', { reason: message.message })
        case 'rebuild-failed':
          logger.error('search index rebuild from the table failed', { reason: message.message })
          return rejectRebuilt(new Error(message.message))
      }
    })
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`local search engine stopped with code ${code}`)))
  }).catch(async (error: unknown) => {
    await worker.terminate()
    throw error
  })
  // An idle engine must not keep the local cloud's process alive.
  worker.unref()

  let closing: Promise<void> | undefined
  return {
    endpoint: `http://${setup.host}:${port}`,
    rebuilt,
    rebuildFromTables() {
      const message: ToSearchEngine = { type: 'rebuild' }
      worker.postMessage(message)
    },
    close() {
      closing ??= (async () => {
        const message: ToSearchEngine = { type: 'close' }
        worker.postMessage(message)
        const killer = setTimeout(() => void worker.terminate(), 3000)
        await exited
        clearTimeout(killer)
      })()
      return closing
    },
  }
}
