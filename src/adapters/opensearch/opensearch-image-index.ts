import { type Client, errors } from '@opensearch-project/opensearch'
import type {
  IndexOperation,
  IndexOperationResult,
  SearchIndex,
  SearchQuery,
  SearchResults,
} from '#core/ports/search-index.ts'
import { decodeSearchCursor, encodeSearchCursor } from '#core/search/search-cursor.ts'
import { queryTerms } from '#core/search/search-text.ts'
import { IMAGE_INDEX_DEFINITION } from './image-index-definition.ts'
import { errorTypeOf, readBulkResults, readSearchPage, type SentBulkItem } from './opensearch-responses.ts'
import { searchRequestBody } from './search-request-body.ts'

export { createSignedOpenSearchClient } from './opensearch-client.ts'

export interface OpenSearchImageIndexOptions {
  /** Built once per cold start (see createSignedOpenSearchClient). */
  client: Client
  indexName: string
}

/**
 * SearchIndex on an Amazon OpenSearch Service domain (OpenSearch 2.x).
 *
 * Order-safety comes from OpenSearch's external versioning: every write carries the image's revision
 * as its version with `version_type: external_gte`, so OpenSearch applies it only when it is at least
 * the version it holds, deletions included (for `gc_deletes`, see IMAGE_INDEX_DEFINITION). A redelivered
 * change re-applies the same state; an older one answers a version conflict, which is a skip.
 */
export class OpenSearchImageIndex implements SearchIndex {
  readonly #client: Client
  readonly #indexName: string
  #indexReady: Promise<void> | undefined

  constructor(options: OpenSearchImageIndexOptions) {
    this.#client = options.client
    this.#indexName = options.indexName
  }

  /** One `_bulk` request for all the operations (after creating the index, the first time). */
  async apply(operations: IndexOperation[]): Promise<IndexOperationResult[]> {
    const results: Array<IndexOperationResult | undefined> = operations.map(refuseInvalid)
    const lines: Array<Record<string, unknown>> = []
    const sent: Array<SentBulkItem & { position: number }> = []
    for (const [position, operation] of operations.entries()) {
      if (results[position] !== undefined) continue
      if (operation.kind === 'upsert') {
        const { image, groupName, revision } = operation.document
        lines.push(
          { index: { _id: image.imageId, version: revision, version_type: 'external_gte' } },
          {
            imageId: image.imageId,
            groupId: image.groupId,
            // NFC, so that a letter typed as letter + combining accent folds like the precomposed one.
            title: image.title.normalize('NFC'),
            groupName: groupName.normalize('NFC'),
            description: image.description.normalize('NFC'),
            image,
          },
        )
        sent.push({ action: 'index', id: image.imageId, position })
      } else {
        const { imageId, revision } = operation
        lines.push({ delete: { _id: imageId, version: revision, version_type: 'external_gte' } })
        sent.push({ action: 'delete', id: imageId, position })
      }
    }
    if (sent.length > 0) {
      await this.#ensureIndex()
      let body: unknown
      try {
        body = (await this.#client.bulk({ index: this.#indexName, body: lines })).body
      } catch (error) {
        throw failure('_bulk', error)
      }
      for (const [at, result] of readBulkResults(body, sent).entries()) {
        results[(sent[at] as { position: number }).position] = result
      }
    }
    return results.map((result) => result ?? { ok: false, error: 'not sent' })
  }

  async search(query: SearchQuery): Promise<SearchResults> {
    const after =
      query.cursor === undefined ? undefined : decodeSearchCursor({ ...query, cursor: query.cursor })
    const terms = queryTerms(query.text)
    if (terms.length === 0) return { hits: [], total: 0 }
    let body: unknown
    try {
      const response = await this.#client.search({
        index: this.#indexName,
        body: searchRequestBody(terms, query, after),
      })
      body = response.body
    } catch (error) {
      // Nothing was ever indexed: the index is created with the first write.
      if (isResponseError(error, 'index_not_found_exception')) return { hits: [], total: 0 }
      throw failure('_search', error)
    }
    const page = readSearchPage(body)
    const hits = page.hits.slice(0, query.limit)
    const results: SearchResults = {
      hits: hits.map(({ image, score, highlights }) => ({ image, score, highlights })),
      total: page.total,
    }
    const last = hits.at(-1)
    if (last !== undefined && page.hits.length > query.limit) {
      results.nextCursor = encodeSearchCursor(query, last.position)
    }
    return results
  }

  /**
   * Creates the index with its mapping unless it exists; once per instance. Concurrent callers share
   * one attempt, and another instance creating it first is fine. A failed attempt is retried by the
   * next call.
   */
  #ensureIndex(): Promise<void> {
    this.#indexReady ??= this.#client.indices
      .create({ index: this.#indexName, body: IMAGE_INDEX_DEFINITION })
      .then(
        () => undefined,
        (error: unknown) => {
          if (isResponseError(error, 'resource_already_exists_exception')) return
          this.#indexReady = undefined
          throw failure(`index creation (${this.#indexName})`, error)
        },
      )
    return this.#indexReady
  }
}

/** Refuses what OpenSearch would not take as a document id and external version. */
function refuseInvalid(operation: IndexOperation): IndexOperationResult | undefined {
  const imageId = operation.kind === 'upsert' ? operation.document.image.imageId : operation.imageId
  const revision = operation.kind === 'upsert' ? operation.document.revision : operation.revision
  if (typeof imageId !== 'string' || imageId.length === 0 || Buffer.byteLength(imageId) > 512) {
    return { ok: false, error: 'imageId must be 1 to 512 bytes' }
  }
  if (!Number.isSafeInteger(revision) || revision < 0) {
    return { ok: false, error: `revision of ${imageId} must be a non-negative integer, not ${revision}` }
  }
  return undefined
}

function isResponseError(error: unknown, type: string): boolean {
  return error instanceof errors.ResponseError && errorTypeOf(error.body) === type
}

/** An error naming the request, with OpenSearch's own message (and the original as the cause). */
function failure(what: string, error: unknown): Error {
  const status = error instanceof errors.ResponseError ? ` (${error.statusCode})` : ''
  const message = error instanceof Error ? error.message : String(error)
  return new Error(`OpenSearch ${what} failed${status}: ${message}`, { cause: error })
}
