import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeCursor, encodeCursor } from '#adapters/shared/cursor.ts'
import { InvalidInputError } from '#core/shared/errors.ts'

const KEY = { groupId: 'g-1', timestamp: '2026-01-01T00:00:00.000Z' }
const NAMES = ['groupId', 'timestamp'] as const
const base64url = (text: string) => Buffer.from(text).toString('base64url')

describe('DynamoDB listing cursor', () => {
  it('round-trips a key through an opaque, URL-safe string', () => {
    const nextKey = encodeCursor(KEY)

    assert.match(nextKey, /^[A-Za-z0-9_-]+$/)
    assert.deepEqual(decodeCursor(nextKey, NAMES), KEY)
  })

  it('round-trips values with non-ASCII characters', () => {
    const key = { groupId: 'grüße 🌍', timestamp: KEY.timestamp }

    assert.deepEqual(decodeCursor(encodeCursor(key), NAMES), key)
  })

  const rejected: Record<string, string> = {
    'empty text': '',
    'characters outside base64url': `${encodeCursor(KEY)}==`,
    'standard base64 alphabet': Buffer.from(JSON.stringify({ groupId: '>>>?', timestamp: 't' })).toString(
      'base64',
    ),
    'bytes that are not JSON': base64url('not json'),
    'JSON that is not an object': base64url('["g-1","2026"]'),
    'JSON null': base64url('null'),
    'a missing attribute': encodeCursor({ groupId: 'g-1' }),
    'an extra attribute': encodeCursor({ ...KEY, kind: 'group' }),
    'other attribute names': encodeCursor({ id: 'g-1', timestamp: KEY.timestamp }),
    'a number value': base64url(JSON.stringify({ groupId: 'g-1', timestamp: 1 })),
    'a DynamoDB-typed value': base64url(JSON.stringify({ groupId: { S: 'g-1' }, timestamp: KEY.timestamp })),
    'an empty value': encodeCursor({ groupId: '', timestamp: KEY.timestamp }),
    'an oversized value': encodeCursor({ groupId: 'x'.repeat(3000), timestamp: KEY.timestamp }),
    'JSON with whitespace (not what the encoder makes)': base64url(JSON.stringify(KEY, null, 1)),
    'a prototype-polluting key': base64url('{"__proto__":{"x":"y"},"timestamp":"t"}'),
  }
  for (const [what, nextKey] of Object.entries(rejected)) {
    it(`rejects ${what}`, () => {
      assert.throws(
        () => decodeCursor(nextKey, NAMES),
        (error: unknown) =>
          error instanceof InvalidInputError &&
          error.message === 'nextKey is not a key returned by this listing',
      )
    })
  }
})
