/** A run of text from a search highlight, marked when it matched the query. */
export interface HighlightSegment {
  text: string
  marked: boolean
}

const TAG = /<(\/?)mark>/g
const ENTITY = /&(?:amp|lt|gt|quot|#39|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi
const NAMED: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

/**
 * Reads the API's highlight markup (matched words in `<mark>`, everything else HTML-escaped) into
 * plain segments, so the page renders them as text and elements it builds itself: whatever else the
 * markup holds, a `<script>` included, ends up as visible text, never as HTML. Lenient on bad markup:
 * a stray `</mark>` or a nested `<mark>` is dropped, an unclosed one marks the rest.
 */
export function parseHighlight(markup: string): HighlightSegment[] {
  const segments: HighlightSegment[] = []
  let marked = false
  let from = 0
  const push = (raw: string, isMarked: boolean) => {
    if (raw === '') return
    const text = decodeEntities(raw)
    const last = segments.at(-1)
    if (last !== undefined && last.marked === isMarked) last.text += text
    else segments.push({ text, marked: isMarked })
  }
  for (const match of markup.matchAll(TAG)) {
    push(markup.slice(from, match.index), marked)
    from = match.index + match[0].length
    marked = match[1] !== '/'
  }
  push(markup.slice(from), marked)
  return segments
}

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (entity, decimal?: string, hex?: string) => {
    const code =
      decimal !== undefined ? Number(decimal) : hex !== undefined ? Number.parseInt(hex, 16) : undefined
    if (code === undefined) return NAMED[entity.toLowerCase()] ?? entity
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity
  })
}
