import type { SearchQuery } from '../ports/search-index.ts'
import { InvalidInputError } from '../shared/errors.ts'
import { decodeOpaqueToken, encodeOpaqueToken } from '../shared/opaque-token.ts'
import { queryTerms } from './search-text.ts'

/**
 * Where a page of search results ended: the sort values of its last hit. Hits are ordered by score
 * (descending) and then imageId (ascending), which is a total order, so the next page is "every hit
 * after this position" (OpenSearch's `search_after`) and no hit shows up on two pages.
 */
export interface SearchPosition {
  score: number
  imageId: string
}

/** Also the bound the request parser checks, so a client learns early that a cursor is not ours. */
export const SEARCH_CURSOR_MAX_LENGTH = 512
const IMAGE_ID_MAX = 128
const FOREIGN_CURSOR = 'cursor is not one returned by this search'
const OTHER_SEARCH = 'cursor belongs to another search: repeat the same q and groupId to page on'

/**
 * The position as base64url JSON `[fingerprint, score, imageId]`. The fingerprint ties a cursor to
 * its search (terms and group), so a cursor pasted into another search is refused instead of
 * silently skipping that search's best hits. It is a checksum against mistakes, not a signature: a
 * hand-made cursor can only choose where a page starts, which any client may do by paging.
 */
export function encodeSearchCursor(query: SearchQuery, position: SearchPosition): string {
  return encodeOpaqueToken([fingerprint(query), position.score, position.imageId])
}

/** The position in `query.cursor`; throws InvalidInputError for one `encodeSearchCursor` did not make. */
export function decodeSearchCursor(query: SearchQuery & { cursor: string }): SearchPosition {
  const parsed = decodeOpaqueToken(query.cursor, {
    maxLength: SEARCH_CURSOR_MAX_LENGTH,
    foreign: FOREIGN_CURSOR,
  })
  if (!Array.isArray(parsed) || parsed.length !== 3) throw new InvalidInputError(FOREIGN_CURSOR)
  const [print, score, imageId] = parsed as unknown[]
  const wellFormed =
    typeof print === 'string' &&
    typeof score === 'number' &&
    Number.isFinite(score) &&
    typeof imageId === 'string' &&
    imageId.length > 0 &&
    imageId.length <= IMAGE_ID_MAX
  if (!wellFormed) throw new InvalidInputError(FOREIGN_CURSOR)
  if (print !== fingerprint(query)) throw new InvalidInputError(OTHER_SEARCH)
  return { score, imageId }
}

/** FNV-1a (32 bits) of the normalized terms and the group: the same search gives the same print. */
function fingerprint(query: SearchQuery): string {
  const text = JSON.stringify([queryTerms(query.text), query.groupId ?? null])
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(36)
}
