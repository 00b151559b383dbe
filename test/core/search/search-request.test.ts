import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseSearchRequest } from '#core/search/search-request.ts'

const invalid = (message: string) => ({ code: 'INVALID_INPUT', message })

describe('parseSearchRequest', () => {
  it('reads q trimmed, with 20 results and no group or cursor unless asked', () => {
    assert.deepEqual(parseSearchRequest({ q: '  golden sunset ' }), { text: 'golden sunset', limit: 20 })
  })

  it('reads every parameter', () => {
    assert.deepEqual(parseSearchRequest({ q: 'sunset', groupId: 'grp-1', limit: '50', cursor: 'abc_-9' }), {
      text: 'sunset',
      groupId: 'grp-1',
      limit: 50,
      cursor: 'abc_-9',
    })
  })

  it('accepts q of exactly 200 characters, counted as characters rather than UTF-16 units', () => {
    assert.equal(parseSearchRequest({ q: 'a'.repeat(200) }).text.length, 200)
    assert.equal([...parseSearchRequest({ q: '🌅'.repeat(200) }).text].length, 200)
  })

  it('requires q', () => {
    assert.throws(() => parseSearchRequest({}), invalid('q is required: the text to search for'))
  })

  for (const [name, q] of Object.entries({
    empty: '',
    spaces: '   ',
    'tabs and line breaks': '\t\n',
    'zero-width characters': '\u200b\u200d\ufeff',
  })) {
    it(`rejects a q that is ${name}`, () => {
      assert.throws(() => parseSearchRequest({ q }), invalid('q must not be empty'))
    })
  }

  it('rejects a q over 200 characters', () => {
    assert.throws(
      () => parseSearchRequest({ q: 'a'.repeat(201) }),
      invalid('q must be at most 200 characters'),
    )
  })

  it('rejects control characters inside q', () => {
    for (const q of ['sun\u0000set', 'sun\nset', 'sun\u007fset', 'sun\tset']) {
      assert.throws(() => parseSearchRequest({ q }), invalid('q must not contain control characters'))
    }
  })

  it('rejects a q with a lone surrogate', () => {
    assert.throws(() => parseSearchRequest({ q: 'sun\ud800set' }), invalid('q must be valid Unicode text'))
  })

  for (const limit of ['0', '51', '100', '-1', '1.5', '1e1', '0x10', ' 5', '', 'ten', '٥']) {
    it(`rejects the limit ${JSON.stringify(limit)}`, () => {
      assert.throws(
        () => parseSearchRequest({ q: 'sunset', limit }),
        invalid('limit must be an integer from 1 to 50'),
      )
    })
  }

  for (const groupId of ['', ' ', 'grp 1', 'grp\u0000', 'g'.repeat(129), 'grp\u200b', 'grp\ud800']) {
    it(`rejects the groupId ${JSON.stringify(groupId)}`, () => {
      assert.throws(
        () => parseSearchRequest({ q: 'sunset', groupId }),
        invalid('groupId must be 1 to 128 characters without spaces or control characters'),
      )
    })
  }

  for (const cursor of ['', 'a'.repeat(513), 'abc=', 'a b', 'a/b+c']) {
    it(`rejects the cursor ${JSON.stringify(cursor.slice(0, 20))}`, () => {
      assert.throws(
        () => parseSearchRequest({ q: 'sunset', cursor }),
        invalid('cursor is not one returned by this search'),
      )
    })
  }
})
