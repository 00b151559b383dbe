import { type Environment, EnvironmentReader } from './environment-reader.ts'

/**
 * Which SearchIndex adapter the search functions talk to: `opensearch`, the OpenSearch domain on AWS
 * (requests signed with the function's role), or `local`, the local cloud's embedded search engine.
 */
export type SearchEngine = 'opensearch' | 'local'
const SEARCH_ENGINES: readonly SearchEngine[] = ['opensearch', 'local']

export interface SearchConfig {
  region: string
  engine: SearchEngine
  /** The OpenSearch domain's https URL, or the local search engine's. */
  endpoint: string
  /** The OpenSearch index (an alias works too). */
  indexName: string
  groupsTable: string
  groupsByTimeIndex: string
  imagesTable: string
  corsAllowedOrigin: string
  dynamoDbEndpoint: string | undefined
}

/** The configuration of the search function and the stream indexer. */
export function loadSearchConfig(env: Environment): SearchConfig {
  const read = new EnvironmentReader(env, 'search')
  const engine = read.oneOf('SEARCH_ENGINE', SEARCH_ENGINES)
  const config: SearchConfig = {
    region: read.text('AWS_REGION'),
    engine,
    endpoint: read.url('SEARCH_ENDPOINT'),
    indexName: read.text('SEARCH_INDEX'),
    groupsTable: read.text('GROUPS_TABLE'),
    groupsByTimeIndex: read.text('GROUPS_BY_TIME_INDEX'),
    imagesTable: read.text('IMAGES_TABLE'),
    corsAllowedOrigin: read.text('CORS_ALLOWED_ORIGIN'),
    dynamoDbEndpoint: read.optionalUrl('AWS_ENDPOINT_URL_DYNAMODB'),
  }
  read.assertValid()
  return config
}
