import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MiniSearchImageIndex } from '#adapters/minisearch/minisearch-image-index.ts'
import type { IndexOperation } from '#core/ports/search-index.ts'
import { anImage } from '#test/builders/images.ts'
import { searchFixture } from '#test/fixtures/search-images.ts'

const upsert = (imageId: string, revision: number, title = 'Seagulls'): IndexOperation => ({
  kind: 'upsert',
  document: { image: anImage({ imageId, title }), groupName: 'Coast', revision },
})
const remove = (imageId: string, revision: number): IndexOperation => ({ kind: 'remove', imageId, revision })

async function fixtureIndex(): Promise<MiniSearchImageIndex> {
  const index = new MiniSearchImageIndex()
  const { images, groups } = searchFixture()
  const names = new Map(groups.map((group) => [group.id, group.name]))
  await index.apply(
    images.map((image) => ({
      kind: 'upsert',
      document: { image, groupName: names.get(image.groupId) ?? '', revision: 1 },
    })),
  )
  return index
}

describe('MiniSearchImageIndex', () => {
  describe('toJSON and loadJSON', () => {
    it('restores an index that answers exactly as the saved one', async () => {
      const saved = await fixtureIndex()
      await saved.apply([remove('img-pangolin', 2)])

      const loaded = MiniSearchImageIndex.loadJSON(JSON.stringify(saved))

      assert.equal(loaded.size, saved.size)
      for (const text of ['sunset', 'kngfishr', 'quokka st', 'creme brulee', 'pangolin']) {
        const query = { text, limit: 50 }
        assert.deepEqual(await loaded.search(query), await saved.search(query), text)
      }
    })

    it('keeps the revisions: an older write of a saved or removed image is still ignored', async () => {
      const saved = new MiniSearchImageIndex()
      await saved.apply([upsert('a', 3, 'Cormorants'), upsert('b', 1), remove('b', 2)])

      const loaded = MiniSearchImageIndex.loadJSON(JSON.stringify(saved))
      await loaded.apply([upsert('a', 2, 'Seagulls'), upsert('b', 1, 'Seagulls')])

      assert.equal((await loaded.search({ text: 'seagulls', limit: 5 })).total, 0)
      assert.equal((await loaded.search({ text: 'cormorants', limit: 5 })).total, 1)
    })

    it('refuses text that is not a snapshot', () => {
      for (const json of [
        'null',
        '{}',
        '{"format":"other"}',
        JSON.stringify({ format: 'x', documents: [] }),
      ]) {
        assert.throws(() => MiniSearchImageIndex.loadJSON(json), /not a search index snapshot/)
      }
    })

    it('refuses a snapshot whose documents and index disagree', async () => {
      const saved = new MiniSearchImageIndex()
      await saved.apply([upsert('a', 1), upsert('b', 1)])
      const snapshot = saved.toJSON()

      const missing = { ...snapshot, documents: snapshot.documents.slice(1) }
      assert.throws(() => MiniSearchImageIndex.loadJSON(JSON.stringify(missing)), /inconsistent/)
    })
  })

  describe('tombstones', () => {
    it('forgets the oldest removals beyond maxTombstones', async () => {
      const index = new MiniSearchImageIndex({ maxTombstones: 2 })
      await index.apply([remove('a', 5), remove('b', 5), remove('c', 5)])

      await index.apply([upsert('a', 1, 'Alpha'), upsert('b', 1, 'Bravo'), upsert('c', 1, 'Charlie')])

      assert.equal((await index.search({ text: 'alpha', limit: 5 })).total, 1, 'a was forgotten')
      assert.equal((await index.search({ text: 'bravo', limit: 5 })).total, 0)
      assert.equal((await index.search({ text: 'charlie', limit: 5 })).total, 0)
    })

    it('counts a removal again as the newest when the same image is removed again', async () => {
      const index = new MiniSearchImageIndex({ maxTombstones: 2 })
      await index.apply([remove('a', 5), remove('b', 5), remove('a', 6), remove('c', 5)])

      await index.apply([upsert('a', 1, 'Alpha'), upsert('b', 1, 'Bravo')])

      assert.equal((await index.search({ text: 'alpha', limit: 5 })).total, 0)
      assert.equal((await index.search({ text: 'bravo', limit: 5 })).total, 1, 'b was forgotten')
    })

    it('refuses a maxTombstones that is not a count', () => {
      for (const maxTombstones of [-1, 1.5, Number.NaN]) {
        assert.throws(() => new MiniSearchImageIndex({ maxTombstones }), RangeError)
      }
    })
  })

  it('refuses operations OpenSearch could not take, and applies the others', async () => {
    const index = new MiniSearchImageIndex()

    const results = await index.apply([
      upsert('a', -1),
      upsert('', 1),
      remove('b', Number.NaN),
      upsert('c', 0),
    ])

    assert.deepEqual(results, [
      { ok: false, error: 'revision of a must be a non-negative integer, not -1' },
      { ok: false, error: 'imageId is missing' },
      { ok: false, error: 'revision of b must be a non-negative integer, not NaN' },
      { ok: true },
    ])
    assert.equal(index.size, 1)
  })

  it('pages through equal scores in imageId order, across page boundaries', async () => {
    const index = new MiniSearchImageIndex()
    const ids = ['k', 'c', 'h', 'a', 'f', 'j', 'b', 'i', 'e', 'g', 'd']
    await index.apply([...ids.map((id) => upsert(id, 1, 'Seagulls')), upsert('top', 1, 'Seagulls seagulls')])

    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await index.search({ text: 'seagulls', limit: 3, ...(cursor ? { cursor } : {}) })
      assert.equal(page.total, ids.length + 1)
      seen.push(...page.hits.map((hit) => hit.image.imageId))
      cursor = page.nextCursor
    } while (cursor !== undefined)

    assert.deepEqual(seen, ['top', ...[...ids].sort()])
  })

  it('returns copies, so that changing a hit does not change the index', async () => {
    const index = new MiniSearchImageIndex()
    const operation = upsert('a', 1)
    await index.apply([operation])
    if (operation.kind === 'upsert') operation.document.image.title = 'Changed by the caller'

    const [hit] = (await index.search({ text: 'seagulls', limit: 5 })).hits
    assert.equal(hit?.image.title, 'Seagulls')
    if (hit) hit.image.title = 'Changed again'

    assert.equal((await index.search({ text: 'seagulls', limit: 5 })).hits[0]?.image.title, 'Seagulls')
  })
})
