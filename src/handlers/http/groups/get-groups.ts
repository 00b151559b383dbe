import { pageRequestFrom } from '#core/shared/pagination.ts'
import { httpHandler } from '../middleware/http-handler.ts'
import { queryParameter } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'
import { cors, groupApi } from '../services/group-services.ts'

export const handler = httpHandler(async (event) => {
  const page = pageRequestFrom({
    limit: queryParameter(event, 'limit'),
    nextKey: queryParameter(event, 'nextKey'),
  })
  return jsonResponse(200, await groupApi.listGroups(page))
}, cors)
