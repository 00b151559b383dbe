import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  allowedEdits,
  completesAsPrefix,
  normalizeWord,
  queryTerms,
  WORD_SEPARATOR_PATTERN,
  words,
} from '#core/search/search-text.ts'

describe('search text', () => {
  it('splits words at anything but letters, marks and digits', () => {
    assert.deepEqual(words('Sunset@Malibu—2025: "best" day/night, l’été'), [
      'Sunset',
      'Malibu',
      '2025',
      'best',
      'day',
      'night',
      'l',
      'été',
    ])
    assert.deepEqual(words('<script>alert(1)</script>'), ['script', 'alert', '1', 'script'])
    assert.deepEqual(words('東京 タワー'), ['東京', 'タワー'])
  })

  it('gives OpenSearch the same separator as the splitting uses', () => {
    const text = 'Sunset@Malibu—2025: "best" día/noche'

    assert.deepEqual(text.split(new RegExp(WORD_SEPARATOR_PATTERN, 'u')), words(text))
  })

  it('lowercases and folds accents and special letters as asciifolding does', () => {
    assert.equal(normalizeWord('Crème'), 'creme')
    assert.equal(normalizeWord('BRÛLÉE'), 'brulee')
    assert.equal(normalizeWord('Cre\u0300me'), 'creme')
    assert.equal(normalizeWord('Straße'), 'strasse')
    assert.equal(normalizeWord('Smørrebrød'), 'smorrebrod')
    assert.equal(normalizeWord('Łódź'), 'lodz')
    assert.equal(normalizeWord('Æbleskiver'), 'aebleskiver')
    assert.equal(normalizeWord('서울'), '서울', 'Hangul is not decomposed')
  })

  it('makes query terms without stop words, each once, keeping the last one last', () => {
    assert.deepEqual(queryTerms('The sunset AT the Beach'), ['sunset', 'beach'])
    assert.deepEqual(queryTerms('red sunset red'), ['sunset', 'red'])
    assert.deepEqual(queryTerms('to be or not to be'), [])
    assert.deepEqual(queryTerms('!!!'), [])
  })

  it('completes a last term of two characters or more', () => {
    assert.deepEqual(['s', 'su', 'sun', '東', '東京'].map(completesAsPrefix), [
      false,
      true,
      true,
      false,
      true,
    ])
  })

  it("allows OpenSearch's AUTO number of edits", () => {
    assert.deepEqual(
      ['a', 'ab', 'abc', 'abcde', 'abcdef', 'abcdefghijkl'].map(allowedEdits),
      [0, 0, 1, 1, 2, 2],
    )
    assert.equal(allowedEdits('🌅🌅🌅'), 1, 'counted in characters')
  })
})
