import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseNewGroup } from '#core/groups/group.ts'
import { aNewGroupBody } from '#test/builders/groups.ts'

const invalid = (message: string) => ({ code: 'INVALID_INPUT', message })

describe('parseNewGroup', () => {
  it('returns exactly the name and description', () => {
    assert.deepEqual(parseNewGroup(aNewGroupBody({ name: 'Holidays', description: 'Summer' })), {
      name: 'Holidays',
      description: 'Summer',
    })
  })

  for (const body of [null, [], 'a group', 42, undefined]) {
    it(`rejects a body that is not an object: ${JSON.stringify(body)}`, () => {
      assert.throws(() => parseNewGroup(body), invalid('request body must be a JSON object'))
    })
  }

  it('rejects unknown fields, naming them', () => {
    assert.throws(() => parseNewGroup(aNewGroupBody({ userId: 'me' })), invalid('unknown field: userId'))
    assert.throws(
      () => parseNewGroup(aNewGroupBody({ id: 'x', timestamp: 'y' })),
      invalid('unknown fields: id, timestamp'),
    )
  })

  describe('name', () => {
    it('is required and must be a string', () => {
      assert.throws(() => parseNewGroup(aNewGroupBody({ name: undefined })), invalid('name must be a string'))
      assert.throws(() => parseNewGroup(aNewGroupBody({ name: 7 })), invalid('name must be a string'))
      assert.throws(() => parseNewGroup(aNewGroupBody({ name: null })), invalid('name must be a string'))
    })

    it('must not be empty, only whitespace or only invisible characters', () => {
      for (const name of ['', ' ', ' \t\n ', '\u00a0', '\u200b', '\u200d\ufeff ', '\u2060']) {
        assert.throws(() => parseNewGroup(aNewGroupBody({ name })), invalid('name must not be empty'), name)
      }
      assert.equal(parseNewGroup(aNewGroupBody({ name: '\u200bA' })).name, '\u200bA')
    })

    it('must be valid Unicode: a lone surrogate is refused, in the description too', () => {
      for (const text of ['\ud800', 'a\udc00b']) {
        assert.throws(
          () => parseNewGroup(aNewGroupBody({ name: text })),
          invalid('name must be valid Unicode text'),
        )
        assert.throws(
          () => parseNewGroup(aNewGroupBody({ description: text })),
          invalid('description must be valid Unicode text'),
        )
      }
    })

    it('may be up to 100 characters, counted as characters rather than UTF-16 units', () => {
      assert.equal(parseNewGroup(aNewGroupBody({ name: 'n'.repeat(100) })).name.length, 100)
      assert.equal(parseNewGroup(aNewGroupBody({ name: '😀'.repeat(100) })).name, '😀'.repeat(100))
      assert.throws(
        () => parseNewGroup(aNewGroupBody({ name: 'n'.repeat(101) })),
        invalid('name must be at most 100 characters'),
      )
      assert.throws(
        () => parseNewGroup(aNewGroupBody({ name: '😀'.repeat(101) })),
        invalid('name must be at most 100 characters'),
      )
    })
  })

  describe('description', () => {
    it('is required and must be a string', () => {
      assert.throws(
        () => parseNewGroup(aNewGroupBody({ description: undefined })),
        invalid('description must be a string'),
      )
      assert.throws(
        () => parseNewGroup(aNewGroupBody({ description: false })),
        invalid('description must be a string'),
      )
    })

    it('may be empty or whitespace', () => {
      assert.equal(parseNewGroup(aNewGroupBody({ description: '' })).description, '')
      assert.equal(parseNewGroup(aNewGroupBody({ description: '  ' })).description, '  ')
    })

    it('may be up to 1000 characters', () => {
      assert.equal(parseNewGroup(aNewGroupBody({ description: 'é'.repeat(1000) })).description.length, 1000)
      assert.throws(
        () => parseNewGroup(aNewGroupBody({ description: 'd'.repeat(1001) })),
        invalid('description must be at most 1000 characters'),
      )
    })
  })
})
