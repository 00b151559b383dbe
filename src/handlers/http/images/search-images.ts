import { count } from '../../shared/observability.ts'
import { httpHandler } from '../middleware/http-handler.ts'
import { queryParameter } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'
import { cors, search } from '../services/search-services.ts'

export const handler = httpHandler(async (event) => {
  const results = await search.searchImages({
    q: queryParameter(event, 'q'),
    groupId: queryParameter(event, 'groupId'),
    limit: queryParameter(event, 'limit'),
    cursor: queryParameter(event, 'cursor'),
  })
  count('SearchQueries')
  return jsonResponse(200, results)
}, cors)
