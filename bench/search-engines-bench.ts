/**
 * MiniSearch against Orama on our documents, to choose the engine of the local search index: images
 * as the fixture makes them (4-6 word titles, two-sentence descriptions of ~20 words, the group's
 * name), each engine in a fresh child process (`--expose-gc`) so that heap and RSS are its own.
 *
 * Both engines get the same tokenizing (search-text.ts: words, lowercase, folded accents, English
 * stop words dropped) and boosts (title 3, groupName 2, description 1), and as close a query as each
 * allows:
 *   - MiniSearch: the adapter's options (minisearch-options.ts): every term fuzzy with OpenSearch's
 *     AUTO budget, the last term also as a prefix, terms combined with AND.
 *   - Orama: one `tolerance` for the whole query (AUTO for its shortest term); with a tolerance Orama
 *     does no prefix matching, without one it prefix-matches every term; `threshold: 0` keeps the
 *     documents that have every term (its AND).
 * So the hit counts differ on typo and prefix queries; the table shows the mean total per query.
 * Per query kind it prints p50 and p99 latency for the first page (20 hits) and the mean total.
 * Usage: npm run bench:search-engines -- [--docs 100000] [--queries 1000] [--seed 1] [--engines minisearch,orama]
 *   (`--queries` is per kind: exact, typo and prefix)
 */
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { create, insertMultiple, search } from '@orama/orama'
import MiniSearch from 'minisearch'
import {
  IMAGE_INDEX_OPTIONS,
  type IndexedFields,
  imageSearchOptions,
} from '#adapters/minisearch/minisearch-options.ts'
import { allowedEdits, queryTerms, termOf, words } from '#core/search/search-text.ts'
import {
  generateSearchImages,
  generateSearchQueries,
  type SearchQueries,
} from '#test/fixtures/search-images.ts'
import { integerOption, runMeasuredChild } from './support/measured-child.ts'

const ENGINES = ['minisearch', 'orama'] as const
type Engine = (typeof ENGINES)[number]
type QueryKind = keyof SearchQueries
const QUERY_KINDS: QueryKind[] = ['exact', 'typo', 'prefix']
const PAGE = 20
const WARM_UP_QUERIES = 50

interface EngineResult {
  engine: Engine
  docs: number
  indexMs: number
  heapMiB: number
  rssMiB: number
  queries: Record<QueryKind, { p50: number; p99: number; meanTotal: number; count: number }>
}

/** Answers the first page of a query and how many documents match in all. */
type Searcher = (text: string) => Promise<number>

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    engines: { type: 'string', default: ENGINES.join(',') },
    child: { type: 'string' },
  },
})

const docs = integerOption('docs', values.docs, 100, 2_000_000)
const queryCount = integerOption('queries', values.queries, 10, 100_000)
const seed = integerOption('seed', values.seed, 0, 2 ** 31)
const engines = String(values.engines).split(',')
const unknown = engines.filter((engine) => !ENGINES.includes(engine as Engine))
if (engines.length === 0 || unknown.length > 0) {
  throw new Error(`--engines takes a list of ${ENGINES.join(', ')}, not ${values.engines}`)
}

if (values.child !== undefined) {
  const result = await measure(values.child as Engine)
  process.stdout.write(`${JSON.stringify(result)}\n`)
} else {
  const results: EngineResult[] = []
  for (const engine of engines as Engine[]) results.push(await runChild(engine))
  report(results)
}

function runChild(engine: Engine): Promise<EngineResult> {
  const args = [
    '--child',
    engine,
    '--docs',
    String(docs),
    '--queries',
    String(queryCount),
    '--seed',
    String(seed),
  ]
  return runMeasuredChild<EngineResult>(fileURLToPath(import.meta.url), args, engine)
}

/** The child's side: index the documents, then time the queries. */
async function measure(engine: Engine): Promise<EngineResult> {
  const { images, groups } = generateSearchImages(docs, seed)
  const groupNames = new Map(groups.map((group) => [group.id, group.name]))
  const documents: IndexedFields[] = images.map((image) => ({
    id: image.imageId,
    title: image.title,
    groupName: groupNames.get(image.groupId) ?? '',
    description: image.description,
  }))
  const queries = generateSearchQueries(images, queryCount, seed + 1)
  const before = memory()
  const startedAt = performance.now()
  const searcher = engine === 'minisearch' ? miniSearchEngine(documents) : await oramaEngine(documents)
  const indexMs = performance.now() - startedAt
  const after = memory()

  for (const text of queries.exact.slice(0, WARM_UP_QUERIES)) await searcher(text)
  const timed = {} as EngineResult['queries']
  for (const kind of QUERY_KINDS) {
    const times: number[] = []
    let totals = 0
    for (const text of queries[kind]) {
      const queryStartedAt = performance.now()
      totals += await searcher(text)
      times.push(performance.now() - queryStartedAt)
    }
    times.sort((a, b) => a - b)
    timed[kind] = {
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      meanTotal: totals / times.length,
      count: times.length,
    }
  }
  return {
    engine,
    docs,
    indexMs,
    heapMiB: after.heap - before.heap,
    rssMiB: after.rss - before.rss,
    queries: timed,
  }
}

function miniSearchEngine(documents: IndexedFields[]): Searcher {
  const index = new MiniSearch<IndexedFields>(IMAGE_INDEX_OPTIONS)
  index.addAll(documents)
  return async (text) => {
    const terms = queryTerms(text)
    if (terms.length === 0) return 0
    const results = index.search(terms.join(' '), imageSearchOptions())
    results.slice(0, PAGE)
    return results.length
  }
}

async function oramaEngine(documents: IndexedFields[]): Promise<Searcher> {
  const db = create({
    schema: { id: 'string', title: 'string', groupName: 'string', description: 'string' } as const,
    components: {
      tokenizer: {
        language: 'english',
        normalizationCache: new Map(),
        tokenize: (raw: string) => words(raw).flatMap((word) => termOf(word) ?? []),
      },
    },
  })
  await insertMultiple(db, documents, 1000)
  return async (text) => {
    const terms = queryTerms(text)
    if (terms.length === 0) return 0
    const shortest = terms.reduce((a, b) => (b.length < a.length ? b : a))
    const results = await search(db, {
      term: terms.join(' '),
      properties: ['title', 'groupName', 'description'],
      boost: { title: 3, groupName: 2, description: 1 },
      tolerance: allowedEdits(shortest),
      threshold: 0,
      limit: PAGE,
    })
    return results.count
  }
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

function report(results: EngineResult[]): void {
  console.log(
    `${docs.toLocaleString('en')} generated images (seed ${seed}), ${queryCount} queries of each kind, ` +
      `first page of ${PAGE}, Node ${process.version}`,
  )
  console.log(
    '| engine | index s | docs/s | heap MiB | RSS MiB | exact p50/p99 ms | typo p50/p99 ms | prefix p50/p99 ms |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const result of results) {
    const latency = (kind: QueryKind) =>
      `${result.queries[kind].p50.toFixed(2)} / ${result.queries[kind].p99.toFixed(2)}`
    console.log(
      `| ${result.engine} | ${(result.indexMs / 1000).toFixed(2)} | ${Math.round(result.docs / (result.indexMs / 1000)).toLocaleString('en')} | ` +
        `${result.heapMiB.toFixed(0)} | ${result.rssMiB.toFixed(0)} | ${latency('exact')} | ${latency('typo')} | ${latency('prefix')} |`,
    )
  }
  console.log('Mean total hits per query (how much each engine finds):')
  for (const result of results) {
    const totals = QUERY_KINDS.map((kind) => `${kind} ${result.queries[kind].meanTotal.toFixed(1)}`)
    console.log(`  ${result.engine}: ${totals.join(', ')}`)
  }
  console.log('Heap and RSS: growth from building the index, after a full GC, documents excluded.')
}
