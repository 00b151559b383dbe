import { createElement, Fragment, type ReactElement } from 'react'
import { parseHighlight } from '../../lib/highlight.ts'

/**
 * A search highlight as React text and `<mark>` elements, never as HTML: the markup is parsed, not
 * injected, so nothing in an image's title can run. (Plain createElement, so node:test renders it.)
 */
export function HighlightedText({ markup }: { markup: string }): ReactElement {
  return createElement(
    Fragment,
    null,
    ...parseHighlight(markup).map((segment, index) =>
      segment.marked ? createElement('mark', { key: index }, segment.text) : segment.text,
    ),
  )
}
