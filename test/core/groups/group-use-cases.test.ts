import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FixedClock, SteppingClock } from '#adapters/in-memory/clocks.ts'
import { InMemoryGroupRepository } from '#adapters/in-memory/in-memory-group-repository.ts'
import { InMemoryImageRepository } from '#adapters/in-memory/in-memory-image-repository.ts'
import { SequentialIdGenerator } from '#adapters/in-memory/sequential-id-generator.ts'
import { groupUseCases } from '#core/groups/group-use-cases.ts'
import type { Clock } from '#core/ports/clock.ts'
import type { GroupRepository } from '#core/ports/group-repository.ts'
import { InvalidInputError, NotFoundError } from '#core/shared/errors.ts'
import { pageRequestFrom } from '#core/shared/pagination.ts'
import { aGroup, aNewGroupBody } from '#test/builders/groups.ts'
import { anImage } from '#test/builders/images.ts'

type GroupsSeenByUseCases = (
  groups: InMemoryGroupRepository,
  images: InMemoryImageRepository,
) => GroupRepository

function setUp(
  clock: Clock = new FixedClock('2026-03-01T10:00:00.000Z'),
  seenByUseCases: GroupsSeenByUseCases = (groups) => groups,
) {
  const groups = new InMemoryGroupRepository()
  const images = new InMemoryImageRepository()
  const useCases = groupUseCases({
    groups: seenByUseCases(groups, images),
    images,
    clock,
    ids: new SequentialIdGenerator('group'),
  })
  return { groups, images, useCases }
}

/** The groups, with `meanwhile` run just before a removal: what another request does at that moment. */
function removingAfter(
  meanwhile: (groups: InMemoryGroupRepository, images: InMemoryImageRepository) => Promise<unknown>,
): GroupsSeenByUseCases {
  return (groups, images) => ({
    add: (group) => groups.add(group),
    get: (groupId) => groups.get(groupId),
    listNewestFirst: (page) => groups.listNewestFirst(page),
    remove: async (groupId) => {
      await meanwhile(groups, images)
      return groups.remove(groupId)
    },
  })
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

  describe('deleteGroup', () => {
    const alicesGroup = aGroup({ id: 'hikes', userId: 'alice' })

    it("deletes the caller's empty group: it is no longer found or listed", async () => {
      const { groups, useCases } = setUp()
      await groups.add(alicesGroup)

      await useCases.deleteGroup('hikes', 'alice')

      await assert.rejects(useCases.getGroup('hikes'), { code: 'NOT_FOUND' })
      assert.deepEqual(await useCases.listGroups({ limit: 20 }), { items: [] })
    })

    it('throws NotFoundError for a missing group, and for a group deleted already', async () => {
      const { groups, useCases } = setUp()
      await groups.add(alicesGroup)
      await useCases.deleteGroup('hikes', 'alice')

      for (const groupId of ['nope', 'hikes']) {
        await assert.rejects(useCases.deleteGroup(groupId, 'alice'), {
          code: 'NOT_FOUND',
          message: `group ${groupId} does not exist`,
        })
      }
    })

    it("throws ForbiddenError for another user's group, empty or not, and keeps it", async () => {
      const { groups, images, useCases } = setUp()
      await groups.add(alicesGroup)
      await groups.add(aGroup({ id: 'full', userId: 'alice' }))
      await images.add(anImage({ groupId: 'full', userId: 'bob' }))

      for (const groupId of ['hikes', 'full']) {
        await assert.rejects(useCases.deleteGroup(groupId, 'bob'), {
          code: 'FORBIDDEN',
          message: `only the creator of group ${groupId} may delete it`,
        })
        assert.ok(await groups.get(groupId), groupId)
      }
    })

    it('throws ConflictError while the group holds an image, and keeps both', async () => {
      const { groups, images, useCases } = setUp()
      await groups.add(alicesGroup)
      const image = anImage({ groupId: 'hikes', userId: 'alice' })
      await images.add(image)

      await assert.rejects(useCases.deleteGroup('hikes', 'alice'), {
        code: 'CONFLICT',
        message: 'group hikes still has images',
      })

      assert.deepEqual(await groups.get('hikes'), alicesGroup)
      assert.deepEqual(await images.getById(image.imageId), image)
    })

    it('deletes a group whose images were all deleted', async () => {
      const { groups, images, useCases } = setUp()
      await groups.add(alicesGroup)
      const image = anImage({ groupId: 'hikes' })
      await images.add(image)
      await images.remove(image)

      await useCases.deleteGroup('hikes', 'alice')

      assert.equal(await groups.get('hikes'), undefined)
    })

    it('puts the group back and throws ConflictError when an image arrives while it is deleted', async () => {
      const arriving = anImage({ groupId: 'hikes', userId: 'bob' })
      const { groups, images, useCases } = setUp(
        undefined,
        removingAfter((_, images) => images.add(arriving)),
      )
      await groups.add(alicesGroup)

      await assert.rejects(useCases.deleteGroup('hikes', 'alice'), {
        code: 'CONFLICT',
        message: 'group hikes still has images',
      })

      assert.deepEqual(await groups.get('hikes'), alicesGroup)
      assert.deepEqual(await images.getById(arriving.imageId), arriving)
    })

    it('throws NotFoundError when a concurrent delete removed the group first', async () => {
      const { groups, useCases } = setUp(
        undefined,
        removingAfter((groups) => groups.remove('hikes')),
      )
      await groups.add(alicesGroup)

      await assert.rejects(useCases.deleteGroup('hikes', 'alice'), { code: 'NOT_FOUND' })

      assert.equal(await groups.get('hikes'), undefined)
    })
  })
})
