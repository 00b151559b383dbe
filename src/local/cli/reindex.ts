import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { SingleBar } from 'cli-progress'
import { createDocumentClient } from '#adapters/aws/aws-clients.ts'
import { DynamoDbGroupRepository } from '#adapters/dynamodb/dynamodb-group-repository.ts'
import { scanImagesWithRevisions } from '#adapters/dynamodb/image-table-scan.ts'
import { reindexImages } from '#core/search/search-use-cases.ts'
import type { RebuildProgress } from '../search/search-engine-protocol.ts'
import { DEFAULT_DATA_DIR } from './cli-options.ts'

/**
 * `npm run reindex [-- --data <dir>]`: rebuilds the running local cloud's search index from the
 * Images table (built aside, then swapped in), with a progress bar.
 *
 * `npm run reindex -- --opensearch https://<domain endpoint> --images-table <name> --groups-table <name>
 * [--index images] [--region <region>]`: upserts every image of a deployed stage's table into its
 * OpenSearch domain, signed with your AWS credentials. Entries of images that are no longer in the
 * table are not removed that way; delete the index first for a clean rebuild.
 */
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    opensearch: { type: 'string' },
    index: { type: 'string', default: 'images' },
    'images-table': { type: 'string' },
    'groups-table': { type: 'string' },
    'groups-by-time-index': { type: 'string', default: 'GroupsByTimeIndex' },
    region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
  },
})

const bar = new SingleBar({
  format: 'reindex [{bar}] {percentage}% | {value}/{total} images | {duration}s',
  stream: process.stderr,
})

try {
  if (values.opensearch === undefined) await rebuildLocal(resolve(values.data))
  else await reindexOpenSearch(values.opensearch)
} catch (error) {
  bar.stop()
  console.error(`reindex failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}

async function rebuildLocal(dataDir: string): Promise<void> {
  const search = await searchEndpointOf(dataDir)
  const response = await fetch(`${search}/rebuild`, { method: 'POST' }).catch((error: unknown) => {
    throw new Error(`the local cloud's search engine at ${search} does not answer (is npm start running?)`, {
      cause: error,
    })
  })
  if (!response.ok || response.body === null) throw new Error(`rebuild answered ${response.status}`)
  bar.start(0, 0)
  let pending = ''
  for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
    pending += chunk
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines.filter(Boolean)) report(JSON.parse(line) as RebuildProgress)
  }
}

function report(progress: RebuildProgress): void {
  if (progress.type === 'progress') {
    bar.setTotal(progress.total)
    bar.update(progress.indexed)
  } else if (progress.type === 'done') {
    bar.setTotal(progress.indexed)
    bar.update(progress.indexed)
    bar.stop()
    console.error(`indexed ${progress.indexed} images in ${progress.milliseconds} ms`)
  } else {
    throw new Error(progress.message)
  }
}

async function searchEndpointOf(dataDir: string): Promise<string> {
  const file = join(dataDir, 'endpoints.json')
  let endpoints: { search?: unknown }
  try {
    endpoints = JSON.parse(await readFile(file, 'utf8')) as { search?: unknown }
  } catch (error) {
    throw new Error(`cannot read ${file}: start the local cloud first (npm start)`, { cause: error })
  }
  if (typeof endpoints.search !== 'string') throw new Error(`${file} names no search engine`)
  return endpoints.search
}

async function reindexOpenSearch(node: string): Promise<void> {
  const imagesTable = values['images-table']
  const groupsTable = values['groups-table']
  if (!URL.canParse(node) || imagesTable === undefined || groupsTable === undefined) {
    throw new Error('--opensearch needs a URL, --images-table and --groups-table')
  }
  const { OpenSearchImageIndex, createSignedOpenSearchClient } = await import(
    '#adapters/opensearch/opensearch-image-index.ts'
  )
  const documents = createDocumentClient({ region: values.region, endpoint: undefined })
  const { Table } = await documents.send(new DescribeTableCommand({ TableName: imagesTable }))
  bar.start(Table?.ItemCount ?? 0, 0)
  const indexed = await reindexImages({
    images: scanImagesWithRevisions(documents, imagesTable, {
      onUnreadable: (error) => console.error(`skipped: ${error.message}`),
    }),
    groups: new DynamoDbGroupRepository({
      client: documents,
      tableName: groupsTable,
      byTimeIndexName: values['groups-by-time-index'],
    }),
    index: new OpenSearchImageIndex({
      client: createSignedOpenSearchClient({ node, region: values.region }),
      indexName: values.index,
    }),
    onProgress: (done) => {
      if (done > bar.getTotal()) bar.setTotal(done)
      bar.update(done)
    },
  })
  bar.stop()
  console.error(`indexed ${indexed} images into ${values.index}`)
}
