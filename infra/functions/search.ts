// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import { cors } from '../cors.ts'
import { asyncFailuresQueueLogicalId } from '../resources/async-failures-queue.ts'
import {
  indexerRoleLogicalId,
  searchDomainLogicalId,
  searchRoleLogicalId,
} from '../resources/search-domain.ts'
import type { FunctionDefinition, Functions } from './types.ts'

/**
 * What the search functions read besides the provider's environment. SEARCH_ENDPOINT exists only once
 * CloudFormation has created the domain; the local cloud replaces it (and SEARCH_ENGINE) with its own
 * embedded engine's.
 */
const searchEnvironment = {
  SEARCH_ENGINE: 'opensearch',
  SEARCH_INDEX: 'images',
  SEARCH_ENDPOINT: {
    'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [searchDomainLogicalId, 'DomainEndpoint'] }]],
  },
} satisfies FunctionDefinition['environment']

/** The read side of images (CQRS): written from the Images table's stream, read by GET /images/search. */
export const searchFunctions: Functions = {
  SearchImages: {
    handler: 'src/handlers/http/images/search-images.handler',
    role: searchRoleLogicalId,
    environment: searchEnvironment,
    events: [{ http: { method: 'GET', path: 'images/search', cors } }],
  },
  IndexImages: {
    handler: 'src/handlers/stream/index-images.handler',
    role: indexerRoleLogicalId,
    environment: searchEnvironment,
    // A batch of 100 is one `_bulk` request; a one-second window lets bursts share it without
    // delaying a lone upload's entry by more than about a second.
    events: [
      {
        stream: {
          type: 'dynamodb',
          arn: { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] },
          startingPosition: 'TRIM_HORIZON',
          batchSize: 100,
          batchWindow: 1,
          functionResponseType: 'ReportBatchItemFailures',
          // A poison record is isolated by halving the batch instead of failing its neighbours too.
          bisectBatchOnFunctionError: true,
          maximumRetryAttempts: 5,
          maximumRecordAgeInSeconds: 3600,
          destinations: {
            onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': [asyncFailuresQueueLogicalId, 'Arn'] } },
          },
        },
      },
    ],
  },
}
