/**
 * How text becomes search terms, shared by every SearchIndex adapter so that the local index
 * (MiniSearch) and the deployed one (OpenSearch) find the same images for the same query:
 *   - a word is a run of letters, combining marks and digits; everything else separates words
 *     (OpenSearch gets the same pattern for its `pattern` tokenizer: Java reads `\p{L}` as JS does);
 *   - words are lowercased and folded to their unaccented letters (`Café` finds `cafe`), like Lucene's
 *     `lowercase` + `asciifolding` filters for the scripts our users write in;
 *   - Lucene's English stop words (`_english_`) are dropped from documents and queries alike. Queries
 *     combine their words with AND, so without this "sunset at the beach" would miss a "Sunset on the
 *     beach" for want of an "at".
 */

/** Separates words; the source is also OpenSearch's tokenizer pattern, so keep it valid Java regex. */
export const WORD_SEPARATOR_PATTERN = '[^\\p{L}\\p{M}\\p{N}]+'

const WORD = /[\p{L}\p{M}\p{N}]+/gu
const COMBINING_DIACRITICS = /[\u0300-\u036f]/g

/** Letters NFD does not decompose but `asciifolding` folds; the ones European names and places use. */
const FOLDED_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
}
const FOLDABLE = new RegExp(`[${Object.keys(FOLDED_LETTERS).join('')}]`, 'g')

/** Lucene's `_english_` stop words, which OpenSearch's `stop` filter drops. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with',
])

/** Where one word sits in a text: `text.slice(start, end)` is the word as written. */
export interface WordSpan {
  start: number
  end: number
}

/** The words of `text`, as written (not normalized), in order. */
export function words(text: string): string[] {
  return text.match(WORD) ?? []
}

/** The position of every word of `text`, for highlighting it in place. */
export function wordSpans(text: string): WordSpan[] {
  return Array.from(text.matchAll(WORD), (match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }))
}

/** Lowercase, without accents: how a word is compared. */
export function normalizeWord(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_DIACRITICS, '')
    .normalize('NFC')
    .replace(FOLDABLE, (letter) => FOLDED_LETTERS[letter] ?? letter)
}

/** The term a word is indexed (and searched) as, or undefined for a stop word. */
export function termOf(word: string): string | undefined {
  const term = normalizeWord(word)
  return term.length === 0 || ENGLISH_STOP_WORDS.has(term) ? undefined : term
}

/**
 * The terms to search for, in query order; a repeated term counts once, at its last place, so that
 * the last term (the one being typed) stays last.
 */
export function queryTerms(text: string): string[] {
  const terms: string[] = []
  for (const word of words(text)) {
    const term = termOf(word)
    if (term === undefined) continue
    const earlier = terms.indexOf(term)
    if (earlier !== -1) terms.splice(earlier, 1)
    terms.push(term)
  }
  return terms
}

/**
 * Whether the last query term also matches as the start of longer words: from two characters on.
 * A one-letter prefix matches a good part of the vocabulary (at 100,000 images MiniSearch took
 * ~300 ms to score "s" against ~30 ms for "sun"), and OpenSearch would expand it to 50 arbitrary
 * words, so neither engine would answer anything useful for it.
 */
export function completesAsPrefix(term: string): boolean {
  return [...term].length >= 2
}

/**
 * How many typos a query term may have: OpenSearch's `fuzziness: AUTO` (0 edits for 1-2 characters, 1
 * for 3-5, 2 for longer), counted in characters (code points) as Lucene counts them.
 */
export function allowedEdits(term: string): 0 | 1 | 2 {
  const length = [...term].length
  if (length <= 2) return 0
  return length <= 5 ? 1 : 2
}
