import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sameItem } from '#local/dynamodb/streams/stream-records.ts'

describe('sameItem', () => {
  it('takes sets in another order for the same item', () => {
    assert.equal(
      sameItem(
        { tags: { SS: ['a', 'b'] }, n: { NS: ['1', '2'] } },
        { n: { NS: ['2', '1'] }, tags: { SS: ['b', 'a'] } },
      ),
      true,
    )
  })

  it('tells apart items that differ in a value, an attribute, a type or a nested member', () => {
    const item = { pk: { S: 'a' }, list: { L: [{ N: '1' }, { M: { x: { BOOL: true } } }] } }

    assert.equal(sameItem(item, structuredClone(item)), true)
    assert.equal(sameItem(item, { ...item, pk: { S: 'b' } }), false)
    assert.equal(sameItem(item, { ...item, extra: { NULL: true } }), false)
    assert.equal(sameItem(item, { ...item, pk: { N: 'a' } }), false)
    assert.equal(sameItem(item, { ...item, list: { L: [{ N: '1' }, { M: { x: { BOOL: false } } }] } }), false)
    assert.equal(sameItem(item, { ...item, list: { L: [{ M: { x: { BOOL: true } } }, { N: '1' }] } }), false)
  })
})
