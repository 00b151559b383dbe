import type { API } from '@opensearch-project/opensearch'
import type { SearchQuery } from '#core/ports/search-index.ts'
import type { SearchPosition } from '#core/search/search-cursor.ts'
import { completesAsPrefix } from '#core/search/search-text.ts'
import { SEARCHED_FIELDS } from './image-index-definition.ts'

type QueryContainer = NonNullable<API.Search_RequestBody['query']>

/**
 * The `_search` body for the terms of a query (from `queryTerms`, so already tokenized and
 * normalized the way the index analyzer does it; analyzing them again changes nothing).
 *
 * One clause per term, all required (bool.must): every term must match, each in any field. That is
 * the MiniSearch adapter's AND (see minisearch-options.ts for why AND), which no single multi_match
 * gives: `operator: and` on best_fields or most_fields wants every term in the same field, and the
 * cross-field types (cross_fields, combined_fields) refuse `fuzziness`.
 *   - Each term: multi_match of type most_fields (per-field scores add up, as MiniSearch adds them)
 *     with `fuzziness: AUTO`; `fuzzy_transpositions: false` because MiniSearch counts a swap of two
 *     letters as two edits, and both engines should forgive the same typos.
 *   - The last term, the one being typed, may also match as a prefix (from two letters on, see
 *     completesAsPrefix): a bool.should of the fuzzy clause and a multi_match of type bool_prefix.
 *     With a single term bool_prefix is exactly a prefix query on each field, with the same boosts;
 *     phrase_prefix would do the same with phrase machinery it does not need.
 * Sorting by `_score` then `imageId` is a total order, which `search_after` needs to page without
 * duplicates; `track_total_hits` makes `total` exact past 10,000. One more hit than the page is asked
 * for, to know whether another page follows.
 */
export function searchRequestBody(
  terms: readonly string[],
  query: SearchQuery,
  after: SearchPosition | undefined,
): API.Search_RequestBody {
  const bool: NonNullable<QueryContainer['bool']> = {
    must: terms.map((term, index) => termClause(term, index === terms.length - 1)),
  }
  if (query.groupId !== undefined) bool.filter = [{ term: { groupId: query.groupId } }]
  const body: API.Search_RequestBody = {
    size: query.limit + 1,
    track_total_hits: true,
    _source: ['image'],
    query: { bool },
    sort: [{ _score: { order: 'desc' } }, { imageId: { order: 'asc' } }],
    highlight: {
      pre_tags: ['<mark>'],
      post_tags: ['</mark>'],
      encoder: 'html',
      number_of_fragments: 0,
      fields: { title: {}, description: {} },
    },
  }
  if (after !== undefined) body.search_after = [after.score, after.imageId]
  return body
}

function termClause(term: string, isLast: boolean): QueryContainer {
  const fuzzy: QueryContainer = {
    multi_match: {
      query: term,
      fields: SEARCHED_FIELDS,
      type: 'most_fields',
      fuzziness: 'AUTO',
      fuzzy_transpositions: false,
    },
  }
  if (!isLast || !completesAsPrefix(term)) return fuzzy
  const prefix: QueryContainer = {
    multi_match: { query: term, fields: SEARCHED_FIELDS, type: 'bool_prefix' },
  }
  return { bool: { should: [fuzzy, prefix] } }
}
