import { createDocumentClient } from '#adapters/aws/aws-clients.ts'
import { DynamoDbGroupRepository } from '#adapters/dynamodb/dynamodb-group-repository.ts'
import { loadSearchConfig } from '#config/search-config.ts'
import { searchUseCases } from '#core/search/search-use-cases.ts'
import { tracing } from '../shared/observability.ts'
import { createSearchIndex } from '../shared/search-index.ts'

/** The composition root of the stream indexer: groups (for their names) and the search index. */
export const config = loadSearchConfig(process.env)

const groups = new DynamoDbGroupRepository({
  client: createDocumentClient({
    region: config.region,
    endpoint: config.dynamoDbEndpoint,
    tracer: tracing,
  }),
  tableName: config.groupsTable,
  byTimeIndexName: config.groupsByTimeIndex,
})

export const indexing = searchUseCases({ index: await createSearchIndex(config), groups })
