import { pageRequestFrom } from '#core/shared/pagination.ts'
import { cors, imageApi } from '../api-services.ts'
import { httpHandler } from '../middleware/http-handler.ts'
import { pathParameter, queryParameter } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'

export const handler = httpHandler(async (event) => {
  const groupId = pathParameter(event, 'groupId')
  const page = pageRequestFrom({
    limit: queryParameter(event, 'limit'),
    nextKey: queryParameter(event, 'nextKey'),
  })
  return jsonResponse(200, await imageApi.listGroupImages(groupId, page))
}, cors)
