/**
 * The local search index at scale: N generated images (as the fixture makes them) indexed through
 * MiniSearchImageIndex.apply in batches of 500, as a rebuild applies them, then mixed queries (exact,
 * typo, prefix; a third each) through the searchImages use case, first page of 20, highlights and all.
 * The same run with raw MiniSearch and the same options (minisearch-options.ts; `addAll` per batch,
 * `search` and the first 20 results) shows what the adapter adds: revision bookkeeping, a copy of
 * each image, ordering ties by id, cursors, highlights, request parsing.
 * Each side runs in a fresh child process (`--expose-gc`), so heap and RSS are its own.
 * Usage: npm run bench:search -- [--docs 100000] [--queries 1000] [--seed 1]
 */
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import MiniSearch from 'minisearch'
import { MiniSearchImageIndex } from '#adapters/minisearch/minisearch-image-index.ts'
import {
  IMAGE_INDEX_OPTIONS,
  type IndexedFields,
  imageSearchOptions,
} from '#adapters/minisearch/minisearch-options.ts'
import type { SearchDocument } from '#core/ports/search-index.ts'
import { queryTerms } from '#core/search/search-text.ts'
import { searchUseCases } from '#core/search/search-use-cases.ts'
import {
  generateSearchImages,
  generateSearchQueries,
  type SearchQueries,
} from '#test/fixtures/search-images.ts'
import { integerOption, runMeasuredChild } from './support/measured-child.ts'

const SIDES = ['adapter', 'raw'] as const
type Side = (typeof SIDES)[number]
type QueryKind = keyof SearchQueries
const QUERY_KINDS: QueryKind[] = ['exact', 'typo', 'prefix']
const BATCH = 500
const PAGE = 20
const WARM_UP_QUERIES = 50

interface Latency {
  p50: number
  p99: number
  count: number
}

interface SideResult {
  side: Side
  indexMs: number
  heapMiB: number
  rssMiB: number
  all: Latency
  byKind: Record<QueryKind, Latency>
}

/** Answers the first page of a query. */
type Searcher = (text: string) => Promise<unknown>

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    child: { type: 'string' },
  },
})

const docs = integerOption('docs', values.docs, 100, 2_000_000)
const queryCount = integerOption('queries', values.queries, 30, 300_000)
const seed = integerOption('seed', values.seed, 0, 2 ** 31)

if (values.child !== undefined) {
  if (!SIDES.includes(values.child as Side)) throw new Error(`--child is one of ${SIDES.join(', ')}`)
  process.stdout.write(`${JSON.stringify(await measure(values.child as Side))}\n`)
} else {
  const results: SideResult[] = []
  for (const side of SIDES) results.push(await runChild(side))
  report(results)
}

function runChild(side: Side): Promise<SideResult> {
  const args = [
    '--child',
    side,
    '--docs',
    String(docs),
    '--queries',
    String(queryCount),
    '--seed',
    String(seed),
  ]
  return runMeasuredChild<SideResult>(fileURLToPath(import.meta.url), args, side)
}

async function measure(side: Side): Promise<SideResult> {
  const { images, groups } = generateSearchImages(docs, seed)
  const groupNames = new Map(groups.map((group) => [group.id, group.name]))
  const documents: SearchDocument[] = images.map((image) => ({
    image,
    groupName: groupNames.get(image.groupId) ?? '',
    revision: 1,
  }))
  const perKind = Math.ceil(queryCount / QUERY_KINDS.length)
  const generated = generateSearchQueries(images, perKind, seed + 1)
  // Interleaved, so that no kind runs on a warmer or colder process than the others.
  const queries = Array.from({ length: queryCount }, (_, at) => {
    const kind = QUERY_KINDS[at % QUERY_KINDS.length] as QueryKind
    return { kind, text: generated[kind][Math.floor(at / QUERY_KINDS.length)] as string }
  })

  const before = memory()
  const startedAt = performance.now()
  const searcher = side === 'adapter' ? await adapterSide(documents) : rawSide(documents)
  const indexMs = performance.now() - startedAt
  const after = memory()

  for (const { text } of queries.slice(0, WARM_UP_QUERIES)) await searcher(text)
  const times: Array<{ kind: QueryKind; ms: number }> = []
  for (const { kind, text } of queries) {
    const queryStartedAt = performance.now()
    await searcher(text)
    times.push({ kind, ms: performance.now() - queryStartedAt })
  }
  const latency = (ms: number[]): Latency => {
    const sorted = ms.sort((a, b) => a - b)
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), count: sorted.length }
  }
  const byKind = Object.fromEntries(
    QUERY_KINDS.map((kind) => [
      kind,
      latency(times.filter((time) => time.kind === kind).map((time) => time.ms)),
    ]),
  ) as Record<QueryKind, Latency>
  return {
    side,
    indexMs,
    heapMiB: after.heap - before.heap,
    rssMiB: after.rss - before.rss,
    all: latency(times.map((time) => time.ms)),
    byKind,
  }
}

async function adapterSide(documents: SearchDocument[]): Promise<Searcher> {
  const index = new MiniSearchImageIndex()
  for (let start = 0; start < documents.length; start += BATCH) {
    const results = await index.apply(
      documents.slice(start, start + BATCH).map((document) => ({ kind: 'upsert', document })),
    )
    if (results.some((result) => !result.ok)) throw new Error('an image was not indexed')
  }
  const { searchImages } = searchUseCases({ index })
  return (text) => searchImages({ q: text, limit: String(PAGE) })
}

function rawSide(documents: SearchDocument[]): Searcher {
  const index = new MiniSearch<IndexedFields>(IMAGE_INDEX_OPTIONS)
  for (let start = 0; start < documents.length; start += BATCH) {
    index.addAll(
      documents.slice(start, start + BATCH).map(({ image, groupName }) => ({
        id: image.imageId,
        title: image.title,
        groupName,
        description: image.description,
      })),
    )
  }
  return async (text) => index.search(queryTerms(text).join(' '), imageSearchOptions()).slice(0, PAGE)
}

/** Heap and RSS in MiB after a full collection, so that garbage does not count. */
function memory(): { heap: number; rss: number } {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect === undefined) throw new Error('run with --expose-gc (the parent process does)')
  collect()
  collect()
  const usage = process.memoryUsage()
  return { heap: usage.heapUsed / 2 ** 20, rss: usage.rss / 2 ** 20 }
}

/** Nearest rank on sorted values. */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN
}

function report(results: SideResult[]): void {
  console.log(
    `${docs.toLocaleString('en')} generated images (seed ${seed}) in batches of ${BATCH}, ` +
      `${queryCount} mixed queries (first page of ${PAGE}), Node ${process.version}`,
  )
  console.log(
    '| side | index s | docs/s | heap MiB | RSS MiB | all p50/p99 ms | exact p50/p99 | typo p50/p99 | prefix p50/p99 |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  const pair = (latency: Latency) => `${latency.p50.toFixed(2)} / ${latency.p99.toFixed(2)}`
  for (const result of results) {
    const label =
      result.side === 'adapter' ? 'MiniSearchImageIndex + searchImages' : 'raw MiniSearch, same options'
    console.log(
      `| ${label} | ${(result.indexMs / 1000).toFixed(2)} | ${Math.round(docs / (result.indexMs / 1000)).toLocaleString('en')} | ` +
        `${result.heapMiB.toFixed(0)} | ${result.rssMiB.toFixed(0)} | ${pair(result.all)} | ` +
        `${QUERY_KINDS.map((kind) => pair(result.byKind[kind])).join(' | ')} |`,
    )
  }
  console.log(
    'Heap and RSS: growth from building the index, after a full GC; the generated images are excluded,',
  )
  console.log("the adapter's own copy of each image (returned with the hits) is included.")
}
