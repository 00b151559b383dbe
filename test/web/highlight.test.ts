import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { HighlightedText } from '../../web/src/features/search/highlighted-text.ts'
import { parseHighlight } from '../../web/src/lib/highlight.ts'

const render = (markup: string) => renderToStaticMarkup(createElement(HighlightedText, { markup }))

describe('search highlights', () => {
  it('splits marked words from the text around them and decodes the escaping', () => {
    assert.deepEqual(parseHighlight('<mark>Sunset</mark> at the &quot;pier&quot; &amp; <mark>beach</mark>'), [
      { text: 'Sunset', marked: true },
      { text: ' at the "pier" & ', marked: false },
      { text: 'beach', marked: true },
    ])
    assert.deepEqual(parseHighlight('it&#39;s &#x263A; &#9731;'), [{ text: "it's ☺ ☃", marked: false }])
  })

  it('keeps a script in a title as visible text: escaped in the page, never an element', () => {
    const html = render('<mark>Sunset</mark> &lt;script&gt;alert(1)&lt;/script&gt; at the pier')
    assert.equal(html, '<mark>Sunset</mark> &lt;script&gt;alert(1)&lt;/script&gt; at the pier')
    const raw = render('<script>alert(1)</script><img src=x onerror=alert(1)><mark>hit</mark>')
    assert.equal(
      raw,
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;<mark>hit</mark>',
    )
  })

  it('survives malformed markup: stray, nested and unclosed marks, unknown entities', () => {
    assert.deepEqual(parseHighlight('a</mark>b'), [{ text: 'ab', marked: false }])
    assert.deepEqual(parseHighlight('<mark>a<mark>b</mark>c'), [
      { text: 'ab', marked: true },
      { text: 'c', marked: false },
    ])
    assert.deepEqual(parseHighlight('x <mark>open'), [
      { text: 'x ', marked: false },
      { text: 'open', marked: true },
    ])
    assert.deepEqual(parseHighlight('&nbsp; &#0; &#x110000; &bogus'), [
      { text: '&nbsp; &#0; &#x110000; &bogus', marked: false },
    ])
    assert.deepEqual(parseHighlight('<MARK>up</MARK> <mark >sp</mark>'), [
      { text: '<MARK>up</MARK> <mark >sp', marked: false },
    ])
    assert.deepEqual(parseHighlight(''), [])
  })

  it('does not decode twice: an escaped entity stays as the text it was', () => {
    assert.deepEqual(parseHighlight('&amp;lt;mark&amp;gt;'), [{ text: '&lt;mark&gt;', marked: false }])
    assert.equal(render('&amp;lt;b&amp;gt;'), '&amp;lt;b&amp;gt;')
  })
})
