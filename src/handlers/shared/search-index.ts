import { HttpSearchIndex } from '#adapters/local-search/http-search-index.ts'
import type { SearchConfig } from '#config/search-config.ts'
import type { SearchIndex } from '#core/ports/search-index.ts'

/**
 * The SearchIndex adapter the configuration names. The OpenSearch client is imported only when used:
 * the local engine's functions do not pay for loading it.
 */
export async function createSearchIndex(config: SearchConfig): Promise<SearchIndex> {
  if (config.engine === 'local') return new HttpSearchIndex({ endpoint: config.endpoint })
  const { OpenSearchImageIndex, createSignedOpenSearchClient } = await import(
    '#adapters/opensearch/opensearch-image-index.ts'
  )
  return new OpenSearchImageIndex({
    client: createSignedOpenSearchClient({ node: config.endpoint, region: config.region }),
    indexName: config.indexName,
  })
}
