import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pageRequestFrom } from '#core/shared/pagination.ts'

const badLimit = { code: 'INVALID_INPUT', message: 'limit must be an integer from 1 to 100' }
const badKey = { code: 'INVALID_INPUT', message: 'nextKey is not a key returned by this listing' }

describe('pageRequestFrom', () => {
  it('defaults to 20 items and no nextKey', () => {
    assert.deepEqual(pageRequestFrom({}), { limit: 20 })
    assert.deepEqual(pageRequestFrom({ limit: undefined, nextKey: undefined }), { limit: 20 })
  })

  it('accepts limits from 1 to 100', () => {
    assert.deepEqual(pageRequestFrom({ limit: '1' }), { limit: 1 })
    assert.deepEqual(pageRequestFrom({ limit: '37' }), { limit: 37 })
    assert.deepEqual(pageRequestFrom({ limit: '100' }), { limit: 100 })
  })

  for (const limit of ['0', '101', '1000', '-1', '1.5', '1e2', '0x10', ' 5', '5 ', '', 'abc', '२०']) {
    it(`rejects the limit ${JSON.stringify(limit)}`, () => {
      assert.throws(() => pageRequestFrom({ limit }), badLimit)
    })
  }

  it('passes a nextKey through untouched for the repository to judge', () => {
    assert.deepEqual(pageRequestFrom({ limit: '5', nextKey: 'abc_-123' }), { limit: 5, nextKey: 'abc_-123' })
    assert.equal(pageRequestFrom({ nextKey: 'k'.repeat(2048) }).nextKey?.length, 2048)
  })

  it('rejects an empty or oversized nextKey', () => {
    assert.throws(() => pageRequestFrom({ nextKey: '' }), badKey)
    assert.throws(() => pageRequestFrom({ nextKey: 'k'.repeat(2049) }), badKey)
  })
})
