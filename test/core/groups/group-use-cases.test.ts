import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FixedClock, SteppingClock } from '#adapters/in-memory/clocks.ts'
import { InMemoryGroupRepository } from '#adapters/in-memory/in-memory-group-repository.ts'
import { SequentialIdGenerator } from '#adapters/in-memory/sequential-id-generator.ts'
import { groupUseCases } from '#core/groups/group-use-cases.ts'
import type { Clock } from '#core/ports/clock.ts'
import { InvalidInputError, NotFoundError } from '#core/shared/errors.ts'
import { pageRequestFrom } from '#core/shared/pagination.ts'
import { aNewGroupBody } from '#test/builders/groups.ts'

function setUp(clock: Clock = new FixedClock('2026-03-01T10:00:00.000Z')) {
  const groups = new InMemoryGroupRepository()
  return { groups, useCases: groupUseCases({ groups, clock, ids: new SequentialIdGenerator('group') }) }
}

describe('group use cases', () => {
  describe('createGroup', () => {
    it('stores the group under a new id, at the clock time, owned by the caller', async () => {
      const { groups, useCases } = setUp()

      const created = await useCases.createGroup(
        aNewGroupBody({ name: 'Hiking', description: 'Alps' }),
        'user-7',
      )

      const expected = {
        id: 'group-1',
        name: 'Hiking',
        description: 'Alps',
        userId: 'user-7',
        timestamp: '2026-03-01T10:00:00.000Z',
      }
      assert.deepEqual(created, expected)
      assert.deepEqual(await groups.get('group-1'), expected)
    })

    it('stores nothing when the body is invalid', async () => {
      const { groups, useCases } = setUp()

      await assert.rejects(useCases.createGroup(aNewGroupBody({ name: '  ' }), 'user-7'), InvalidInputError)

      assert.deepEqual(await groups.listNewestFirst({ limit: 20 }), { items: [] })
    })

    it('does not let the body choose the id, owner or time', async () => {
      const { useCases } = setUp()

      await assert.rejects(
        useCases.createGroup(aNewGroupBody({ id: 'mine', userId: 'admin', timestamp: '1970' }), 'user-7'),
        { code: 'INVALID_INPUT', message: 'unknown fields: id, userId, timestamp' },
      )
    })
  })

  describe('listGroups', () => {
    it('pages through groups newest first', async () => {
      const { useCases } = setUp(new SteppingClock('2026-03-01T10:00:00.000Z', { stepMs: 60_000 }))
      for (const name of ['first', 'second', 'third'])
        await useCases.createGroup(aNewGroupBody({ name }), 'u')

      const page1 = await useCases.listGroups(pageRequestFrom({ limit: '2' }))
      const page2 = await useCases.listGroups(pageRequestFrom({ limit: '2', nextKey: page1.nextKey }))

      assert.deepEqual(
        page1.items.map((group) => group.name),
        ['third', 'second'],
      )
      assert.deepEqual(
        page2.items.map((group) => group.name),
        ['first'],
      )
      assert.equal(page2.nextKey, undefined)
    })
  })

  describe('getGroup', () => {
    it('returns a stored group', async () => {
      const { useCases } = setUp()
      const created = await useCases.createGroup(aNewGroupBody(), 'user-7')

      assert.deepEqual(await useCases.getGroup(created.id), created)
    })

    it('throws NotFoundError for an unknown group', async () => {
      const { useCases } = setUp()

      await assert.rejects(useCases.getGroup('nope'), (error: unknown) => {
        assert.ok(error instanceof NotFoundError)
        assert.equal(error.code, 'NOT_FOUND')
        assert.equal(error.message, 'group nope does not exist')
        return true
      })
    })
  })
})
