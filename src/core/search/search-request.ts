import type { SearchQuery } from '../ports/search-index.ts'
import { InvalidInputError } from '../shared/errors.ts'
import { requireText } from '../shared/text-field.ts'
import { SEARCH_CURSOR_MAX_LENGTH } from './search-cursor.ts'

export const SEARCH_TEXT_MAX = 200
export const SEARCH_LIMIT_DEFAULT = 20
export const SEARCH_LIMIT_MAX = 50
/** The path parameters of the other routes allow ids this long (see the HTTP request helpers). */
export const SEARCH_GROUP_ID_MAX = 128

/** The query-string values of `GET /images/search`, as the edge received them (absent: undefined). */
export interface RawSearchRequest {
  q?: string | undefined
  groupId?: string | undefined
  limit?: string | undefined
  cursor?: string | undefined
}

const CONTROL_CHARACTER = /\p{Cc}/u
const GROUP_ID = new RegExp(`^[^\\p{White_Space}\\p{Cc}\\p{Cf}]{1,${SEARCH_GROUP_ID_MAX}}$`, 'u')

/** Checks a search request and reads it into a SearchQuery; throws InvalidInputError naming the problem. */
export function parseSearchRequest(raw: RawSearchRequest): SearchQuery {
  const query: SearchQuery = { text: parseText(raw.q), limit: parseLimit(raw.limit) }
  if (raw.groupId !== undefined) query.groupId = parseGroupId(raw.groupId)
  if (raw.cursor !== undefined) query.cursor = parseCursor(raw.cursor)
  return query
}

function parseText(q: string | undefined): string {
  if (q === undefined) throw new InvalidInputError('q is required: the text to search for')
  const text = requireText(q.trim(), { field: 'q', min: 1, max: SEARCH_TEXT_MAX })
  if (CONTROL_CHARACTER.test(text)) throw new InvalidInputError('q must not contain control characters')
  return text
}

function parseLimit(limit: string | undefined): number {
  if (limit === undefined) return SEARCH_LIMIT_DEFAULT
  const value = /^\d{1,2}$/.test(limit) ? Number(limit) : 0
  if (value < 1 || value > SEARCH_LIMIT_MAX) {
    throw new InvalidInputError(`limit must be an integer from 1 to ${SEARCH_LIMIT_MAX}`)
  }
  return value
}

function parseGroupId(groupId: string): string {
  if (!groupId.isWellFormed() || !GROUP_ID.test(groupId)) {
    throw new InvalidInputError(
      `groupId must be 1 to ${SEARCH_GROUP_ID_MAX} characters without spaces or control characters`,
    )
  }
  return groupId
}

/** Only the shape here; the index decodes the cursor and refuses one it did not issue. */
function parseCursor(cursor: string): string {
  if (cursor.length === 0 || cursor.length > SEARCH_CURSOR_MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new InvalidInputError('cursor is not one returned by this search')
  }
  return cursor
}
