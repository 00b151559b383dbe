import { pageRequestFrom } from '#core/shared/pagination.ts'
import { cors, groupApi } from '../api-services.ts'
import { httpHandler } from '../middleware/http-handler.ts'
import { queryParameter } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'

export const handler = httpHandler(async (event) => {
  const page = pageRequestFrom({
    limit: queryParameter(event, 'limit'),
    nextKey: queryParameter(event, 'nextKey'),
  })
  return jsonResponse(200, await groupApi.listGroups(page))
}, cors)
