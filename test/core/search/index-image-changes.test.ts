import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InMemoryGroupRepository } from '#adapters/in-memory/in-memory-group-repository.ts'
import { MiniSearchImageIndex } from '#adapters/minisearch/minisearch-image-index.ts'
import type { Group } from '#core/groups/group.ts'
import type { ImageChange } from '#core/search/image-change.ts'
import { searchUseCases } from '#core/search/search-use-cases.ts'
import { aGroup } from '#test/builders/groups.ts'
import { anImage } from '#test/builders/images.ts'
import { idsOf } from './search-test-kit.ts'

/** A group repository that counts reads and fails them for the groups it is told to. */
class FlakyGroupRepository extends InMemoryGroupRepository {
  reads: string[] = []
  readonly failing = new Set<string>()

  override async get(groupId: string): Promise<Group | undefined> {
    this.reads.push(groupId)
    if (this.failing.has(groupId)) throw new Error('connection reset')
    return super.get(groupId)
  }
}

async function setUp() {
  const groups = new FlakyGroupRepository()
  await groups.add(aGroup({ id: 'grp-coast', name: 'Coastal walks' }))
  await groups.add(aGroup({ id: 'grp-peaks', name: 'High peaks' }))
  const index = new MiniSearchImageIndex()
  const search = searchUseCases({ index, groups })
  const found = async (q: string) => idsOf(await search.searchImages({ q }))
  return { groups, index, search, found }
}

const upsert = (revision: number, overrides: Parameters<typeof anImage>[0]): ImageChange => ({
  kind: 'upsert',
  image: anImage({ groupId: 'grp-coast', ...overrides }),
  revision,
})
const remove = (revision: number, imageId: string): ImageChange => ({ kind: 'remove', imageId, revision })

describe('indexImageChanges', () => {
  it('indexes new images with their group names, answering one result per change', async () => {
    const { search, found } = await setUp()

    const results = await search.indexImageChanges([
      upsert(1, { imageId: 'a', title: 'Seagulls' }),
      upsert(1, { imageId: 'b', title: 'Cairn', groupId: 'grp-peaks' }),
    ])

    assert.deepEqual(results, [{ ok: true }, { ok: true }])
    assert.deepEqual(await found('seagulls'), ['a'])
    assert.deepEqual(await found('coastal'), ['a'])
    assert.deepEqual(await found('peaks cairn'), ['b'])
  })

  it('makes a removed image disappear', async () => {
    const { search, found } = await setUp()
    await search.indexImageChanges([upsert(1, { imageId: 'a', title: 'Seagulls' })])

    const results = await search.indexImageChanges([remove(2, 'a')])

    assert.deepEqual(results, [{ ok: true }])
    assert.deepEqual(await found('seagulls'), [])
    assert.deepEqual(await found('coastal'), [])
  })

  it('re-indexes a renamed image: the new title is found and the old one no longer', async () => {
    const { search, found } = await setUp()
    await search.indexImageChanges([upsert(1, { imageId: 'a', title: 'Seagulls' })])

    await search.indexImageChanges([upsert(2, { imageId: 'a', title: 'Cormorants' })])

    assert.deepEqual(await found('seagulls'), [])
    assert.deepEqual(await found('cormorants'), ['a'])
    const { items } = await search.searchImages({ q: 'cormorants' })
    assert.equal(items[0]?.item.title, 'Cormorants')
  })

  describe('order-safety', () => {
    it('ignores an older revision that arrives after a newer one', async () => {
      const { search, found } = await setUp()

      const results = await search.indexImageChanges([
        upsert(3, { imageId: 'a', title: 'Cormorants' }),
        upsert(2, { imageId: 'a', title: 'Seagulls' }),
      ])

      assert.deepEqual(results, [{ ok: true }, { ok: true }], 'a skipped change is not a failure')
      assert.deepEqual(await found('cormorants'), ['a'])
      assert.deepEqual(await found('seagulls'), [])
    })

    it('keeps a removed image removed when an older write of it arrives later', async () => {
      const { search, found } = await setUp()
      await search.indexImageChanges([upsert(1, { imageId: 'a', title: 'Seagulls' })])

      await search.indexImageChanges([remove(3, 'a')])
      const results = await search.indexImageChanges([upsert(2, { imageId: 'a', title: 'Seagulls again' })])

      assert.deepEqual(results, [{ ok: true }])
      assert.deepEqual(await found('seagulls'), [])
    })

    it('applies a removal that arrives before the write it removes', async () => {
      const { search, found } = await setUp()

      await search.indexImageChanges([remove(2, 'a'), upsert(1, { imageId: 'a', title: 'Seagulls' })])

      assert.deepEqual(await found('seagulls'), [])
    })

    it('lets an image come back with a revision above its removal', async () => {
      const { search, found } = await setUp()
      await search.indexImageChanges([upsert(1, { imageId: 'a', title: 'Seagulls' }), remove(2, 'a')])

      await search.indexImageChanges([upsert(3, { imageId: 'a', title: 'Seagulls' })])

      assert.deepEqual(await found('seagulls'), ['a'])
    })

    it('leaves the index as it was when a batch is delivered again', async () => {
      const { search, index } = await setUp()
      const batch = [
        upsert(1, { imageId: 'a', title: 'Seagulls' }),
        upsert(1, { imageId: 'b', title: 'Seagull chicks' }),
        upsert(2, { imageId: 'a', title: 'Seagulls at dusk' }),
        remove(2, 'b'),
        upsert(1, { imageId: 'c', title: 'Seagull feather' }),
      ]
      await search.indexImageChanges(batch)
      const once = await search.searchImages({ q: 'seagull' })
      const stateOnce = JSON.stringify(index.toJSON().documents)

      const again = await search.indexImageChanges(batch)

      assert.deepEqual(
        again,
        batch.map(() => ({ ok: true })),
      )
      assert.deepEqual(await search.searchImages({ q: 'seagull' }), once)
      assert.equal(JSON.stringify(index.toJSON().documents), stateOnce)
      assert.deepEqual(idsOf(once).sort(), ['a', 'c'])
    })

    it('accepts the removal of an image it never had', async () => {
      const { search } = await setUp()

      assert.deepEqual(await search.indexImageChanges([remove(4, 'never-seen')]), [{ ok: true }])
    })
  })

  describe('group names', () => {
    it('reads each group once per call', async () => {
      const { search, groups } = await setUp()

      await search.indexImageChanges([
        upsert(1, { imageId: 'a' }),
        upsert(1, { imageId: 'b' }),
        upsert(1, { imageId: 'c', groupId: 'grp-peaks' }),
        upsert(2, { imageId: 'a' }),
      ])

      assert.deepEqual(groups.reads.sort(), ['grp-coast', 'grp-peaks'])
    })

    it('reads the group again in the next call, so a new name is picked up', async () => {
      const { search, groups } = await setUp()
      await search.indexImageChanges([upsert(1, { imageId: 'a' })])

      await search.indexImageChanges([upsert(2, { imageId: 'a' })])

      assert.deepEqual(groups.reads, ['grp-coast', 'grp-coast'])
    })

    it('indexes an image of a missing group with an empty group name', async () => {
      const { search, found } = await setUp()

      const results = await search.indexImageChanges([
        upsert(1, { imageId: 'a', title: 'Orphan', groupId: 'grp-gone' }),
      ])

      assert.deepEqual(results, [{ ok: true }])
      assert.deepEqual(await found('orphan'), ['a'])
    })

    it('fails only the changes of a group that cannot be read, and applies the rest', async () => {
      const { search, groups, found } = await setUp()
      groups.failing.add('grp-peaks')

      const results = await search.indexImageChanges([
        upsert(1, { imageId: 'a', title: 'Seagulls' }),
        upsert(1, { imageId: 'b', title: 'Cairn', groupId: 'grp-peaks' }),
        remove(1, 'c'),
      ])

      assert.deepEqual(results, [
        { ok: true },
        { ok: false, error: 'group grp-peaks could not be read: connection reset' },
        { ok: true },
      ])
      assert.deepEqual(await found('seagulls'), ['a'])
      assert.deepEqual(await found('cairn'), [])
    })
  })

  it('reports the changes the index refuses, in their places', async () => {
    const { search, found } = await setUp()

    const results = await search.indexImageChanges([
      upsert(1.5, { imageId: 'a', title: 'Seagulls' }),
      upsert(1, { imageId: 'b', title: 'Cairn' }),
    ])

    assert.deepEqual(results, [
      { ok: false, error: 'revision of a must be a non-negative integer, not 1.5' },
      { ok: true },
    ])
    assert.deepEqual(await found('cairn'), ['b'])
  })

  it('needs a group repository', async () => {
    const search = searchUseCases({ index: new MiniSearchImageIndex() })

    await assert.rejects(search.indexImageChanges([]), TypeError)
  })
})
