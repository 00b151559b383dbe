/**
 * The local cloud's search engine: the embedded MiniSearch index behind the SearchIndex port, served
 * over HTTP (see HttpSearchIndex) to every function's thread, in a thread of its own so that indexing
 * and queries do not hold up the gateway. It is the local stand-in for the OpenSearch domain.
 *
 * Its state is rebuilt from the Images table at startup rather than persisted: the table is the
 * source of truth and the stream replays whatever the indexer had not acknowledged, so the index
 * is right after a restart however the previous run ended. `POST /rebuild` (used by
 * `npm run reindex`) builds a fresh index aside, streams its progress, and swaps it in; changes that
 * arrive meanwhile go to both, and revisions keep the order right.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parentPort, workerData } from 'node:worker_threads'
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { DynamoDbGroupRepository } from '#adapters/dynamodb/dynamodb-group-repository.ts'
import { scanImagesWithRevisions } from '#adapters/dynamodb/image-table-scan.ts'
import { MiniSearchImageIndex } from '#adapters/minisearch/minisearch-image-index.ts'
import type {
  IndexOperation,
  IndexOperationResult,
  SearchIndex,
  SearchQuery,
} from '#core/ports/search-index.ts'
import { reindexImages } from '#core/search/search-use-cases.ts'
import { DomainError } from '#core/shared/errors.ts'
import { readBody } from '../http/read-body.ts'
import type {
  FromSearchEngine,
  RebuildProgress,
  SearchEngineSetup,
  ToSearchEngine,
} from './search-engine-protocol.ts'

const MAX_REQUEST_BYTES = 32 * 1024 * 1024

const setup = workerData as SearchEngineSetup
const port = parentPort
if (port === null) throw new Error('search-engine-worker must run in a worker thread')
const send = (message: FromSearchEngine) => port.postMessage(message)

const documents = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: setup.dynamodb.region,
    endpoint: setup.dynamodb.endpoint,
    credentials: setup.dynamodb.credentials,
  }),
)
const groups = new DynamoDbGroupRepository({
  client: documents,
  tableName: setup.groupsTable,
  byTimeIndexName: setup.groupsByTimeIndex,
})

let current: MiniSearchImageIndex = new MiniSearchImageIndex()
/** The index being rebuilt, which must also see every change made while it is built. */
let building: MiniSearchImageIndex | undefined
let rebuilding: Promise<number> | undefined

/** Changes go to the live index (whose answers count) and to the one being built, if any. */
const liveIndex: SearchIndex = {
  apply: async (operations: IndexOperation[]): Promise<IndexOperationResult[]> => {
    const results = await current.apply(operations)
    if (building !== undefined) await building.apply(operations)
    return results
  },
  search: (query: SearchQuery) => current.search(query),
}

async function tableSize(): Promise<number> {
  const { Table } = await documents.send(new DescribeTableCommand({ TableName: setup.imagesTable }))
  return Table?.ItemCount ?? 0
}

/** Builds a fresh index from the table, then makes it the live one. */
function rebuild(onProgress: (progress: RebuildProgress) => void = () => {}): Promise<number> {
  rebuilding ??= (async () => {
    const started = performance.now()
    const fresh = new MiniSearchImageIndex()
    building = fresh
    try {
      const total = await tableSize()
      const indexed = await reindexImages({
        images: scanImagesWithRevisions(documents, setup.imagesTable, {
          onUnreadable: (error) => send({ type: 'unreadable-item', message: error.message }),
        }),
        groups,
        index: fresh,
        onProgress: (done) => onProgress({ type: 'progress', indexed: done, total: Math.max(total, done) }),
      })
      current = fresh
      onProgress({ type: 'done', indexed, milliseconds: Math.round(performance.now() - started) })
      return indexed
    } finally {
      building = undefined
      rebuilding = undefined
    }
  })()
  return rebuilding
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST') return answer(response, 405, { message: 'POST only' })
  if (request.url === '/rebuild') return streamRebuild(response)
  const body = await readBody(request, MAX_REQUEST_BYTES)
  if (body === undefined) return answer(response, 413, { message: 'request too large' })
  let input: { operations?: IndexOperation[]; query?: SearchQuery }
  try {
    input = JSON.parse(body.toString('utf8')) as typeof input
  } catch {
    return answer(response, 400, { message: 'request body is not JSON' })
  }
  try {
    if (request.url === '/apply' && Array.isArray(input.operations)) {
      return answer(response, 200, { results: await liveIndex.apply(input.operations) })
    }
    if (request.url === '/search' && typeof input.query === 'object' && input.query !== null) {
      return answer(response, 200, await liveIndex.search(input.query))
    }
    return answer(response, 404, { message: `no such operation: ${request.url}` })
  } catch (error) {
    if (error instanceof DomainError && error.code === 'INVALID_INPUT') {
      return answer(response, 400, { message: error.message })
    }
    return answer(response, 500, { message: error instanceof Error ? error.message : String(error) })
  }
}

/** NDJSON: one RebuildProgress per line, about every 500 images, then `done` or `failed`. */
async function streamRebuild(response: ServerResponse): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/x-ndjson' })
  const write = (progress: RebuildProgress) => response.write(`${JSON.stringify(progress)}\n`)
  try {
    await rebuild(write)
  } catch (error) {
    write({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
  }
  response.end()
}

const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  handle(request, response).catch((error: unknown) => {
    if (!response.headersSent) answer(response, 500, { message: String(error) })
    else response.destroy()
  })
})

port.on('message', (message: ToSearchEngine) => {
  if (message.type === 'rebuild') return startupRebuild()
  server.close(() => port.close())
  server.closeIdleConnections()
  setTimeout(() => server.closeAllConnections(), 1000).unref()
})

server.once('error', (error) => send({ type: 'failed', message: error.message }))
server.listen(setup.port, setup.host, () => {
  send({ type: 'ready', port: (server.address() as AddressInfo).port })
})

function startupRebuild(): void {
  const started = performance.now()
  rebuild().then(
    (images) => send({ type: 'rebuilt', images, milliseconds: Math.round(performance.now() - started) }),
    (error: unknown) =>
      send({ type: 'rebuild-failed', message: error instanceof Error ? error.message : String(error) }),
  )
}
