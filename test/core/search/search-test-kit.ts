import { InMemoryGroupRepository } from '#adapters/in-memory/in-memory-group-repository.ts'
import { MiniSearchImageIndex } from '#adapters/minisearch/minisearch-image-index.ts'
import type { Image } from '#core/images/image.ts'
import { type SearchImagesResponse, searchUseCases } from '#core/search/search-use-cases.ts'
import { type SearchFixture, searchFixture } from '#test/fixtures/search-images.ts'

/** The search use cases over a MiniSearch index holding the fixture, indexed through the stream path. */
export async function indexedFixture(fixture: SearchFixture = searchFixture()) {
  const groups = new InMemoryGroupRepository()
  for (const group of fixture.groups) await groups.add(group)
  const index = new MiniSearchImageIndex()
  const search = searchUseCases({ index, groups })
  const results = await search.indexImageChanges(
    fixture.images.map((image) => ({ kind: 'upsert', image, revision: 1 })),
  )
  if (results.some((result) => !result.ok)) throw new Error('the fixture did not index')
  return { search, index, groups, fixture }
}

export function idsOf(response: SearchImagesResponse): string[] {
  return response.items.map(({ item }) => item.imageId)
}

/** Every page of a search, following nextCursor, as one list of image ids. */
export async function allPages(
  search: { searchImages: (raw: Record<string, string | undefined>) => Promise<SearchImagesResponse> },
  raw: { q: string; groupId?: string; limit: string },
): Promise<{ ids: string[]; pages: SearchImagesResponse[] }> {
  const pages: SearchImagesResponse[] = []
  let cursor: string | undefined
  do {
    const page = await search.searchImages({ ...raw, cursor })
    pages.push(page)
    cursor = page.nextCursor
  } while (cursor !== undefined && pages.length < 1000)
  return { ids: pages.flatMap(idsOf), pages }
}

export function imageById(fixture: SearchFixture, imageId: string): Image {
  const image = fixture.images.find((candidate) => candidate.imageId === imageId)
  if (image === undefined) throw new Error(`no fixture image ${imageId}`)
  return image
}
