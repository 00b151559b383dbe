import type { Image } from '../images/image.ts'

/**
 * What the search index holds for one image: the image as the API shows it, its group's name (a
 * searchable field the Images table does not have) and the revision of the item it was built from.
 */
export interface SearchDocument {
  image: Image
  groupName: string
  /**
   * Grows with every write of the image's item (see the DynamoDB image repository). The index keeps
   * the highest revision it has seen per image, deletions included, so replayed or late records of
   * an older revision change nothing.
   */
  revision: number
}

/** One change to apply, in stream order. */
export type IndexOperation =
  | { kind: 'upsert'; document: SearchDocument }
  /** `revision`: one more than the revision of the deleted item, so the deletion outranks its writes. */
  | { kind: 'remove'; imageId: string; revision: number }

/**
 * Per operation, in the same order: applied (or skipped as older than what the index has) or failed.
 * A failed operation changes nothing and may be retried after later ones: order comes from revisions.
 */
export type IndexOperationResult = { ok: true } | { ok: false; error: string }

export interface SearchQuery {
  /** Already validated: 1-200 characters, not blank. */
  text: string
  groupId?: string
  /** 1-50. */
  limit: number
  /** Opaque, from a previous page of the same query; the adapter rejects one it did not issue. */
  cursor?: string
}

/**
 * The whole field (not fragments of it) with the matched words in `<mark>`, everything else
 * HTML-escaped, so it can be put into a page as is. A field without a matched word has no entry.
 */
export interface SearchHighlights {
  title?: string
  description?: string
}

export interface SearchHit {
  image: Image
  score: number
  highlights: SearchHighlights
}

export interface SearchResults {
  hits: SearchHit[]
  /** How many images match in all (not only this page). */
  total: number
  /** Present only when more hits follow. */
  nextCursor?: string
}

/**
 * The read model of images for full-text search (CQRS: written only from the Images stream and by
 * rebuilds from the table). Words are found by title, group name and description (in that order of
 * weight), forgiving typos, the last word also as a prefix; every word of the query must match.
 */
export interface SearchIndex {
  /**
   * Applies the operations in order. An upsert or removal takes effect only when its revision is at
   * least the highest the index has seen for that image (removals included), so redelivered and late
   * operations leave the index right. Throws only when the index cannot be reached at all.
   */
  apply(operations: IndexOperation[]): Promise<IndexOperationResult[]>
  /**
   * Best match first; ties broken by imageId, so that a cursor (the last hit's place in that order)
   * pages without repeating or skipping hits. Throws InvalidInputError for a cursor it did not issue.
   */
  search(query: SearchQuery): Promise<SearchResults>
}
