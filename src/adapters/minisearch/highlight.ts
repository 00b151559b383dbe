import type { MatchInfo } from 'minisearch'
import type { SearchDocument, SearchHighlights } from '#core/ports/search-index.ts'
import { termOf, wordSpans } from '#core/search/search-text.ts'

const HTML_SPECIAL = /[&<>"']/g
const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text made safe to put between HTML tags or in a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(HTML_SPECIAL, (special) => HTML_ENTITIES[special] ?? special)
}

/**
 * The highlights of one hit, as OpenSearch's highlighter gives them with `number_of_fragments: 0` and
 * `encoder: html`: the whole field, matched words in `<mark>`, everything else escaped; a field
 * without a matched word has no highlight. `match` is MiniSearch's match info: each document term
 * that matched (after fuzzy and prefix expansion) and the fields it matched in.
 */
export function highlightsFor(document: SearchDocument, match: MatchInfo): SearchHighlights {
  const highlights: SearchHighlights = {}
  const title = markWords(document.image.title, termsMatchedIn(match, 'title'))
  if (title !== undefined) highlights.title = title
  const description = markWords(document.image.description, termsMatchedIn(match, 'description'))
  if (description !== undefined) highlights.description = description
  return highlights
}

/**
 * `text` with every word whose term (by the indexing tokenizer and normalization) is in `terms`
 * wrapped in `<mark>`; undefined when no word is.
 */
export function markWords(text: string, terms: ReadonlySet<string>): string | undefined {
  if (terms.size === 0) return undefined
  let marked = ''
  let copiedUpTo = 0
  for (const { start, end } of wordSpans(text)) {
    const term = termOf(text.slice(start, end))
    if (term === undefined || !terms.has(term)) continue
    marked += `${escapeHtml(text.slice(copiedUpTo, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>`
    copiedUpTo = end
  }
  return copiedUpTo === 0 ? undefined : marked + escapeHtml(text.slice(copiedUpTo))
}

function termsMatchedIn(match: MatchInfo, field: string): Set<string> {
  const terms = new Set<string>()
  for (const [term, fields] of Object.entries(match)) {
    if (fields.includes(field)) terms.add(term)
  }
  return terms
}
