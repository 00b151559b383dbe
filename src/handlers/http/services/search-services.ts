import { loadSearchConfig } from '#config/search-config.ts'
import { searchUseCases } from '#core/search/search-use-cases.ts'
import { createSearchIndex } from '../../shared/search-index.ts'

/** The composition root of the search function: the index only, no table is read to answer. */
const config = loadSearchConfig(process.env)

export const cors = { origin: config.corsAllowedOrigin }
export const search = searchUseCases({ index: await createSearchIndex(config) })
