import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeSearchCursor, encodeSearchCursor } from '#core/search/search-cursor.ts'
import { InvalidInputError } from '#core/shared/errors.ts'

const QUERY = { text: 'golden sunset', limit: 20 }
const POSITION = { score: 12.345678901234567, imageId: 'img-42' }
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('search cursor', () => {
  it('round-trips a position, score bits included, through an opaque URL-safe string', () => {
    const cursor = encodeSearchCursor(QUERY, POSITION)

    assert.match(cursor, /^[A-Za-z0-9_-]+$/)
    assert.deepEqual(decodeSearchCursor({ ...QUERY, cursor }), POSITION)
  })

  it('serves the same search written differently', () => {
    const cursor = encodeSearchCursor(QUERY, POSITION)

    assert.deepEqual(decodeSearchCursor({ text: 'Golden  SUNSET', limit: 5, cursor }), POSITION)
  })

  it('refuses the cursor of another search', () => {
    const cursor = encodeSearchCursor(QUERY, POSITION)

    assert.throws(() => decodeSearchCursor({ ...QUERY, text: 'sunset', cursor }), InvalidInputError)
    assert.throws(() => decodeSearchCursor({ ...QUERY, groupId: 'g', cursor }), {
      message: 'cursor belongs to another search: repeat the same q and groupId to page on',
    })
  })

  const valid = encodeSearchCursor(QUERY, POSITION)
  const print = JSON.parse(Buffer.from(valid, 'base64url').toString())[0] as string
  const foreign: Record<string, string> = {
    'not base64url': `${valid}=`,
    'not JSON': Buffer.from('nope').toString('base64url'),
    'an object': base64url({ print, score: 1, imageId: 'x' }),
    'two elements': base64url([print, 1]),
    'a string score': base64url([print, '1', 'x']),
    'an empty imageId': base64url([print, 1, '']),
    'a long imageId': base64url([print, 1, 'x'.repeat(129)]),
    'spaces in the JSON': Buffer.from(`["${print}", 1, "x"]`).toString('base64url'),
    'too long': 'a'.repeat(513),
  }
  for (const [what, cursor] of Object.entries(foreign)) {
    it(`refuses a cursor that is ${what}`, () => {
      assert.throws(() => decodeSearchCursor({ ...QUERY, cursor }), {
        code: 'INVALID_INPUT',
        message: 'cursor is not one returned by this search',
      })
    })
  }
})
