import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { GroupRepository } from '#core/ports/group-repository.ts'
import { ConflictError, InvalidInputError } from '#core/shared/errors.ts'
import type { Page } from '#core/shared/pagination.ts'
import { aGroup } from '#test/builders/groups.ts'

/** Gives each test an empty repository. */
export type GroupRepositoryFactory = () => GroupRepository | Promise<GroupRepository>

const at = (second: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, second)).toISOString()

/** What every GroupRepository promises, whatever stores the groups. Call inside a `describe`. */
export function groupRepositoryContract(makeRepository: GroupRepositoryFactory): void {
  describe('GroupRepository contract', () => {
    it('gives back a group it stored, field for field', async () => {
      const groups = await makeRepository()
      const group = aGroup({ name: 'Été 🌞', description: '' })

      await groups.add(group)

      assert.deepEqual(await groups.get(group.id), group)
    })

    it('answers undefined for an id it never stored, including the empty one', async () => {
      const groups = await makeRepository()
      await groups.add(aGroup())

      assert.equal(await groups.get('no-such-group'), undefined)
      assert.equal(await groups.get(''), undefined)
    })

    it('refuses a second group with a taken id and keeps the first', async () => {
      const groups = await makeRepository()
      const first = aGroup({ id: 'taken' })
      await groups.add(first)

      await assert.rejects(groups.add(aGroup({ id: 'taken', name: 'Intruder' })), ConflictError)

      assert.deepEqual(await groups.get('taken'), first)
    })

    it('removes a group it holds, once: then it is neither found nor listed', async () => {
      const groups = await makeRepository()
      const [kept, removed] = [aGroup({ timestamp: at(1) }), aGroup({ timestamp: at(2) })]
      for (const group of [kept, removed]) await groups.add(group)

      assert.equal(await groups.remove(removed.id), true)
      assert.equal(await groups.remove(removed.id), false)

      assert.equal(await groups.get(removed.id), undefined)
      assert.deepEqual(await groups.listNewestFirst({ limit: 20 }), { items: [kept] })
    })

    it('answers false when removing an id it never stored, including the empty one', async () => {
      const groups = await makeRepository()
      const kept = aGroup()
      await groups.add(kept)

      assert.equal(await groups.remove('no-such-group'), false)
      assert.equal(await groups.remove(''), false)
      assert.deepEqual(await groups.get(kept.id), kept)
    })

    it('takes a removed group back under the same id', async () => {
      const groups = await makeRepository()
      const group = aGroup()
      await groups.add(group)
      await groups.remove(group.id)

      await groups.add(group)

      assert.deepEqual(await groups.get(group.id), group)
    })

    it('lists an empty repository as an empty page without nextKey', async () => {
      const groups = await makeRepository()

      assert.deepEqual(await groups.listNewestFirst({ limit: 20 }), { items: [] })
    })

    it('lists newest first, whatever the order they were added in', async () => {
      const groups = await makeRepository()
      const [older, newest, oldest] = [
        aGroup({ timestamp: at(2) }),
        aGroup({ timestamp: at(3) }),
        aGroup({ timestamp: at(1) }),
      ]
      for (const group of [older, newest, oldest]) await groups.add(group)

      const page = await groups.listNewestFirst({ limit: 20 })

      assert.deepEqual(page, { items: [newest, older, oldest] })
    })

    it('pages through with nextKey and gives no nextKey on the last page', async () => {
      const groups = await makeRepository()
      const added = [1, 2, 3, 4, 5].map((second) => aGroup({ timestamp: at(second) }))
      for (const group of added) await groups.add(group)
      const [g1, g2, g3, g4, g5] = added

      const first = await groups.listNewestFirst({ limit: 2 })
      const second = await groups.listNewestFirst({ limit: 2, nextKey: requireNextKey(first) })
      const third = await groups.listNewestFirst({ limit: 2, nextKey: requireNextKey(second) })

      assert.deepEqual(first.items, [g5, g4])
      assert.deepEqual(second.items, [g3, g2])
      assert.deepEqual(third, { items: [g1] })
    })

    it('gives no nextKey when the last page is exactly full', async () => {
      const groups = await makeRepository()
      for (const second of [1, 2, 3, 4]) await groups.add(aGroup({ timestamp: at(second) }))

      const first = await groups.listNewestFirst({ limit: 2 })
      const second = await groups.listNewestFirst({ limit: 2, nextKey: requireNextKey(first) })

      assert.equal(second.items.length, 2)
      assert.equal(second.nextKey, undefined)
      assert.equal((await groups.listNewestFirst({ limit: 4 })).nextKey, undefined)
    })

    it('lists every group exactly once when several share a timestamp', async () => {
      const groups = await makeRepository()
      const added = ['a', 'b', 'c', 'd'].map((id) => aGroup({ id, timestamp: at(7) }))
      for (const group of added) await groups.add(group)

      const seen: string[] = []
      let page: Page<{ id: string }> = await groups.listNewestFirst({ limit: 1 })
      seen.push(...page.items.map((group) => group.id))
      while (page.nextKey !== undefined) {
        page = await groups.listNewestFirst({ limit: 1, nextKey: page.nextKey })
        seen.push(...page.items.map((group) => group.id))
      }

      assert.deepEqual(seen.sort(), ['a', 'b', 'c', 'd'])
    })

    it('rejects a nextKey it did not issue', async () => {
      const groups = await makeRepository()
      await groups.add(aGroup())
      const forged = Buffer.from(JSON.stringify({ somewhere: 'else' })).toString('base64url')

      for (const nextKey of ['not-a-key', forged, 'e30', '%%%']) {
        await assert.rejects(groups.listNewestFirst({ limit: 20, nextKey }), InvalidInputError, nextKey)
      }
    })

    it('hands out copies: changing a returned group changes nothing stored', async () => {
      const groups = await makeRepository()
      const group = aGroup()
      await groups.add(group)

      const read = await groups.get(group.id)
      assert.ok(read)
      read.name = 'changed'
      group.name = 'changed too'

      assert.notEqual((await groups.get(group.id))?.name, 'changed')
      assert.notEqual((await groups.listNewestFirst({ limit: 1 })).items[0]?.name, 'changed too')
    })
  })
}

function requireNextKey(page: Page<unknown>): string {
  assert.ok(page.nextKey, 'expected a nextKey')
  return page.nextKey
}
