import type { Options, SearchOptions, SearchResult } from 'minisearch'
import { allowedEdits, completesAsPrefix, termOf, words } from '#core/search/search-text.ts'

/** What MiniSearch indexes per image; the image itself stays outside, in the adapter's own map. */
export interface IndexedFields {
  id: string
  title: string
  groupName: string
  description: string
}

/**
 * Field weights, the same as the OpenSearch adapter's `title^3, groupName^2, description`. A title is
 * the few words the uploader chose to name this very photo; the group name describes the whole album
 * (a photo in "Alps 2025" probably shows the Alps, but less surely than one titled so); a description
 * is longer and full of incidental words. BM25 already favours short fields, so the boosts need not
 * be large: with 3 over 1, a word in the title outranks the same word written even three times in a
 * description (BM25's term-frequency saturation with k = 1.2 makes that 1.6x one mention, and never
 * more than 2.2x), for a word about as rare in titles as in descriptions.
 */
export const FIELD_BOOSTS: Readonly<Record<keyof Omit<IndexedFields, 'id'>, number>> = {
  title: 3,
  groupName: 2,
  description: 1,
}

/** The index's options: our tokenizer and term normalization (see search-text.ts), at index time. */
export const IMAGE_INDEX_OPTIONS: Options<IndexedFields> = {
  fields: Object.keys(FIELD_BOOSTS),
  tokenize: words,
  processTerm: (word) => termOf(word) ?? null,
}

/**
 * The search options for terms already made by `queryTerms` and joined with single spaces:
 *   - fuzzy: OpenSearch's `AUTO` edit budget per term, so both engines forgive the same typos;
 *   - prefix on the last term only, from two letters on (see completesAsPrefix): it is the one still
 *     being typed ("sunset bea" finds "beach"), while a prefix on every term would let "red" match
 *     "reduced" and "redwood" mid-query;
 *   - AND: every term must match somewhere (each in any field). Typing another word narrows the
 *     results, as people expect of a search box, and `total` counts images that match the whole
 *     query. OR would keep every image that has any one word ("sunset beach" would list every
 *     beach), ranking the better ones first but leaving `total` and the later pages full of noise;
 *     fuzziness already rescues the usual reason AND fails (a typo), and stop words are dropped.
 */
export function imageSearchOptions(filter?: (result: SearchResult) => boolean): SearchOptions {
  const options: SearchOptions = {
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term,
    fuzzy: (term) => allowedEdits(term),
    prefix: (term, index, terms) => index === terms.length - 1 && completesAsPrefix(term),
    combineWith: 'AND',
    boost: { ...FIELD_BOOSTS },
  }
  if (filter !== undefined) options.filter = filter
  return options
}
