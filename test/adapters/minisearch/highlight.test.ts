import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { escapeHtml, highlightsFor, markWords } from '#adapters/minisearch/highlight.ts'
import { anImage } from '#test/builders/images.ts'

describe('highlight', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;',
    )
  })

  it('marks every word whose normalized term matched, keeping its spelling', () => {
    assert.equal(
      markWords('Crème brûlée, CRÈME again', new Set(['creme'])),
      '<mark>Crème</mark> brûlée, <mark>CRÈME</mark> again',
    )
  })

  it('marks whole words only', () => {
    assert.equal(markWords('sunsets at sunset', new Set(['sunset'])), 'sunsets at <mark>sunset</mark>')
  })

  it('answers nothing when no word matched', () => {
    assert.equal(markWords('Seagulls', new Set(['gull'])), undefined)
    assert.equal(markWords('Seagulls', new Set()), undefined)
  })

  it('never marks a stop word, even when asked to', () => {
    assert.equal(markWords('The end', new Set(['the', 'end'])), 'The <mark>end</mark>')
  })

  it('highlights title and description from the fields each term matched in', () => {
    const image = anImage({ title: 'Sunset & <b>sea</b>', description: 'A red sunset over the sea' })

    const highlights = highlightsFor(
      { image, groupName: 'Sea', revision: 1 },
      { sunset: ['description'], sea: ['title', 'groupName'] },
    )

    assert.deepEqual(highlights, {
      title: 'Sunset &amp; &lt;b&gt;<mark>sea</mark>&lt;/b&gt;',
      description: 'A red <mark>sunset</mark> over the sea',
    })
  })
})
