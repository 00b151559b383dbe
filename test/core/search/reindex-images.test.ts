import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InMemoryGroupRepository } from '#adapters/in-memory/in-memory-group-repository.ts'
import { MiniSearchImageIndex } from '#adapters/minisearch/minisearch-image-index.ts'
import type { IndexOperation, IndexOperationResult } from '#core/ports/search-index.ts'
import {
  type IndexedImage,
  ReindexError,
  reindexImages,
  searchUseCases,
} from '#core/search/search-use-cases.ts'
import { aGroup } from '#test/builders/groups.ts'
import { anImage } from '#test/builders/images.ts'
import { searchFixture } from '#test/fixtures/search-images.ts'
import { idsOf } from './search-test-kit.ts'

/** Records the batches it is given, then hands them to a real index. */
class RecordingIndex extends MiniSearchImageIndex {
  batches: IndexOperation[][] = []

  override async apply(operations: IndexOperation[]): Promise<IndexOperationResult[]> {
    this.batches.push(operations)
    return super.apply(operations)
  }
}

async function* from<T>(entries: T[]): AsyncGenerator<T> {
  for (const entry of entries) yield entry
}

async function groupsWith(...ids: string[]) {
  const groups = new InMemoryGroupRepository()
  for (const id of ids) await groups.add(aGroup({ id, name: `Group ${id}` }))
  return groups
}

const indexed = (imageId: string, revision = 1, title = `Title ${imageId}`): IndexedImage => ({
  image: anImage({ imageId, groupId: 'g', title }),
  revision,
})

describe('reindexImages', () => {
  it('indexes every image of the source, given in pages or one by one', async () => {
    const fixture = searchFixture()
    const groups = new InMemoryGroupRepository()
    for (const group of fixture.groups) await groups.add(group)
    const index = new MiniSearchImageIndex()
    const images = fixture.images.map((image) => ({ image, revision: 1 }))
    const pages = [images.slice(0, 100), ...images.slice(100, 110), images.slice(110)]

    const count = await reindexImages({ images: from(pages), groups, index })

    assert.equal(count, fixture.images.length)
    assert.equal(index.size, fixture.images.length)
    const search = searchUseCases({ index })
    assert.deepEqual(idsOf(await search.searchImages({ q: 'pangolin safari' })), ['img-pangolin'])
  })

  it('applies batches of the given size and reports progress after each', async () => {
    const index = new RecordingIndex()
    const progress: number[] = []
    const first = indexed('a')

    await reindexImages({
      images: from([
        [first, indexed('b')],
        indexed('c'),
        [indexed('d'), indexed('e'), indexed('f'), indexed('g')],
      ]),
      groups: await groupsWith('g'),
      index,
      batchSize: 3,
      onProgress: (done) => progress.push(done),
    })

    assert.deepEqual(
      index.batches.map((batch) => batch.length),
      [3, 3, 1],
    )
    assert.deepEqual(progress, [3, 6, 7])
    assert.deepEqual(index.batches[0]?.[0], {
      kind: 'upsert',
      document: { image: first.image, groupName: 'Group g', revision: 1 },
    })
  })

  it('leaves alone an image the stream has already indexed in a newer revision', async () => {
    const groups = await groupsWith('g')
    const index = new MiniSearchImageIndex()
    const search = searchUseCases({ index, groups })
    await search.indexImageChanges([{ kind: 'upsert', ...indexed('a', 5, 'Cormorants') }])

    const count = await search.reindexImages(from([indexed('a', 4, 'Seagulls')]))

    assert.equal(count, 1)
    assert.deepEqual(idsOf(await search.searchImages({ q: 'cormorants' })), ['a'])
    assert.deepEqual(idsOf(await search.searchImages({ q: 'seagulls' })), [])
  })

  it('indexes what it can and then throws ReindexError naming the failures', async () => {
    const groups = await groupsWith('g')
    groups.get = async (groupId) => {
      if (groupId === 'broken') throw new Error('throttled')
      return aGroup({ id: groupId })
    }
    const index = new MiniSearchImageIndex()
    const images = [
      indexed('a'),
      { image: anImage({ imageId: 'b', groupId: 'broken' }), revision: 1 },
      indexed('c'),
    ]

    const failure = await reindexImages({ images: from(images), groups, index, batchSize: 2 }).catch(
      (error: unknown) => error,
    )

    assert.ok(failure instanceof ReindexError)
    assert.equal(failure.failed, 1)
    assert.deepEqual(failure.failures, [{ imageId: 'b', error: 'group broken could not be read: throttled' }])
    assert.equal(
      failure.message,
      '1 image was not indexed, first b: group broken could not be read: throttled',
    )
    assert.equal(index.size, 2)
  })

  it('refuses a batch size that is not a positive integer up to 10,000', async () => {
    const input = { images: from([]), groups: await groupsWith(), index: new MiniSearchImageIndex() }
    for (const batchSize of [0, -1, 1.5, 10_001, Number.NaN]) {
      await assert.rejects(reindexImages({ ...input, batchSize }), RangeError)
    }
  })

  it('indexes nothing from an empty source', async () => {
    const index = new RecordingIndex()
    const progress: number[] = []

    const count = await reindexImages({
      images: from([]),
      groups: await groupsWith(),
      index,
      onProgress: (done) => progress.push(done),
    })

    assert.equal(count, 0)
    assert.deepEqual(index.batches, [])
    assert.deepEqual(progress, [])
  })
})
