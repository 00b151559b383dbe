import type { Image } from '../images/image.ts'
import type { GroupRepository } from '../ports/group-repository.ts'
import type {
  IndexOperation,
  IndexOperationResult,
  SearchHighlights,
  SearchIndex,
} from '../ports/search-index.ts'
import { mapWithConcurrency } from '../shared/concurrency.ts'
import type { ImageChange } from './image-change.ts'
import { parseSearchRequest, type RawSearchRequest } from './search-request.ts'

export interface SearchUseCaseDeps {
  index: SearchIndex
  /** Where group names come from; indexImageChanges and reindexImages need it, searchImages does not. */
  groups?: GroupRepository
}

/** One hit as `GET /images/search` answers it. */
export interface SearchResultItem {
  item: Image
  score: number
  highlights: SearchHighlights
}

/** The body of `GET /images/search`. */
export interface SearchImagesResponse {
  items: SearchResultItem[]
  /** How many images match in all. */
  total: number
  /** Present only when more hits follow; pass it back as `cursor` with the same q and groupId. */
  nextCursor?: string
}

/** An image as the Images table holds it, with the revision of its item. */
export interface IndexedImage {
  image: Image
  revision: number
}

export interface ReindexOptions {
  /** Images per SearchIndex.apply call; 500 unless told (a `_bulk` of ~500 KB for OpenSearch). */
  batchSize?: number
  /** Called after each batch with the number of images handled so far. */
  onProgress?: (done: number) => void
}

export interface ReindexInput extends ReindexOptions {
  /** Every image of the Images table with its item's revision, one at a time or a page at a time. */
  images: AsyncIterable<IndexedImage | readonly IndexedImage[]>
  groups: GroupRepository
  index: SearchIndex
}

/** Some images could not be indexed; the others were. */
export class ReindexError extends Error {
  /** How many images failed. */
  readonly failed: number
  /** The first failures (at most 100). */
  readonly failures: ReadonlyArray<{ imageId: string; error: string }>

  constructor(failed: number, failures: ReadonlyArray<{ imageId: string; error: string }>) {
    const first = failures[0]
    const example = first === undefined ? '' : `, first ${first.imageId}: ${first.error}`
    super(`${failed} image${failed === 1 ? ' was' : 's were'} not indexed${example}`)
    this.name = 'ReindexError'
    this.failed = failed
    this.failures = failures
  }
}

export interface SearchUseCases {
  /**
   * Full-text search over titles, descriptions and group names, best match first. `raw` is the query
   * string as received; throws InvalidInputError for a bad q, groupId, limit or cursor.
   */
  searchImages(raw: RawSearchRequest): Promise<SearchImagesResponse>
  /**
   * Brings the index up to date with changes from the Images table's stream, given in stream order.
   * Answers one result per change, in order, so that a stream consumer can report the failed records
   * alone; applying a change again (a redelivery) or late (after a newer one) leaves the index right.
   * Throws only when the index could not be reached at all.
   */
  indexImageChanges(changes: readonly ImageChange[]): Promise<IndexOperationResult[]>
  /** `reindexImages` (below) with this instance's index and groups. */
  reindexImages(images: ReindexInput['images'], options?: ReindexOptions): Promise<number>
}

const DEFAULT_BATCH_SIZE = 500
const MAX_BATCH_SIZE = 10_000
const MAX_REPORTED_FAILURES = 100
/** Group reads in flight at once while resolving one batch's group names. */
const GROUP_READS_IN_FLIGHT = 8

export function searchUseCases({ index, groups }: SearchUseCaseDeps): SearchUseCases {
  function requireGroups(useCase: string): GroupRepository {
    if (groups === undefined) throw new TypeError(`${useCase} needs a GroupRepository to read group names`)
    return groups
  }

  return {
    async searchImages(raw) {
      const query = parseSearchRequest(raw)
      const { hits, total, nextCursor } = await index.search(query)
      const response: SearchImagesResponse = {
        items: hits.map(({ image, score, highlights }) => ({ item: image, score, highlights })),
        total,
      }
      if (nextCursor !== undefined) response.nextCursor = nextCursor
      return response
    },

    async indexImageChanges(changes) {
      // A cache per call: a batch of stream records reads each of its groups once, and a renamed
      // group is seen by the next batch.
      const names = new GroupNames(requireGroups('indexImageChanges'))
      await names.resolve(groupIdsOf(changes))
      return applyChanges(index, changes, names)
    },

    reindexImages(images, options = {}) {
      return reindexImages({ ...options, images, groups: requireGroups('reindexImages'), index })
    },
  }
}

/**
 * Upserts every image `images` yields into `index`, `batchSize` at a time, and answers how many were
 * handled (applied, or skipped because the index holds a newer revision). For the `reindex` command
 * and a rebuild at startup. It can run beside the stream consumer: an entry newer than the copy read
 * here is left alone, and a change made meanwhile reaches the index through the stream.
 * Throws ReindexError, after trying every image, when some could not be indexed.
 */
export async function reindexImages(input: ReindexInput): Promise<number> {
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}, not ${batchSize}`)
  }
  // One cache for the whole run: a rebuild reads each group once, not once per batch.
  const names = new GroupNames(input.groups)
  const failures: Array<{ imageId: string; error: string }> = []
  let indexed = 0
  let failed = 0
  let batch: ImageChange[] = []

  const flush = async () => {
    if (batch.length === 0) return
    const changes = batch
    batch = []
    await names.resolve(groupIdsOf(changes))
    const results = await applyChanges(input.index, changes, names)
    results.forEach((result, position) => {
      if (result.ok) {
        indexed++
        return
      }
      failed++
      const change = changes[position]
      if (change !== undefined && failures.length < MAX_REPORTED_FAILURES) {
        failures.push({ imageId: imageIdOf(change), error: result.error })
      }
    })
    input.onProgress?.(indexed + failed)
  }

  for await (const entry of input.images) {
    for (const { image, revision } of isPage(entry) ? entry : [entry]) {
      batch.push({ kind: 'upsert', image, revision })
      if (batch.length >= batchSize) await flush()
    }
  }
  await flush()
  if (failed > 0) throw new ReindexError(failed, failures)
  return indexed
}

type GroupName = { ok: true; name: string } | { ok: false; error: string }

/**
 * Group names by id, each group read once. A group that no longer exists indexes with an empty name
 * (its images stay findable by title and description); one that cannot be read fails the changes of
 * its images only.
 */
class GroupNames {
  readonly #groups: GroupRepository
  readonly #names = new Map<string, GroupName>()

  constructor(groups: GroupRepository) {
    this.#groups = groups
  }

  async resolve(groupIds: Iterable<string>): Promise<void> {
    const unknown = [...new Set(groupIds)].filter((groupId) => !this.#names.has(groupId))
    await mapWithConcurrency(unknown, GROUP_READS_IN_FLIGHT, async (groupId) => {
      try {
        this.#names.set(groupId, { ok: true, name: (await this.#groups.get(groupId))?.name ?? '' })
      } catch (error) {
        this.#names.set(groupId, {
          ok: false,
          error: `group ${groupId} could not be read: ${messageOf(error)}`,
        })
      }
    })
  }

  get(groupId: string): GroupName {
    return this.#names.get(groupId) ?? { ok: false, error: `group ${groupId} was not read` }
  }
}

/**
 * Applies the changes whose group names are known and fills in the others' failures, keeping the
 * order. Leaving out a failed change does not endanger the later ones: the index orders changes by
 * revision, not by arrival, so the failed one can still be applied after them when retried.
 */
async function applyChanges(
  index: SearchIndex,
  changes: readonly ImageChange[],
  names: GroupNames,
): Promise<IndexOperationResult[]> {
  const results: Array<IndexOperationResult | undefined> = []
  const operations: IndexOperation[] = []
  const positions: number[] = []
  for (const [position, change] of changes.entries()) {
    if (change.kind === 'remove') {
      results.push(undefined)
      operations.push({ kind: 'remove', imageId: change.imageId, revision: change.revision })
      positions.push(position)
      continue
    }
    const name = names.get(change.image.groupId)
    if (!name.ok) {
      results.push({ ok: false, error: name.error })
      continue
    }
    results.push(undefined)
    operations.push({
      kind: 'upsert',
      document: { image: change.image, groupName: name.name, revision: change.revision },
    })
    positions.push(position)
  }
  const applied = operations.length === 0 ? [] : await index.apply(operations)
  if (applied.length !== operations.length) {
    throw new Error(`the search index answered ${applied.length} results for ${operations.length} operations`)
  }
  for (const [at, result] of applied.entries()) results[positions[at] as number] = result
  return results.map((result) => result ?? { ok: false, error: 'not applied' })
}

function groupIdsOf(changes: readonly ImageChange[]): string[] {
  return changes.flatMap((change) => (change.kind === 'upsert' ? [change.image.groupId] : []))
}

function isPage(entry: IndexedImage | readonly IndexedImage[]): entry is readonly IndexedImage[] {
  return Array.isArray(entry)
}

function imageIdOf(change: ImageChange): string {
  return change.kind === 'remove' ? change.imageId : change.image.imageId
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
