import { pageRequestFrom } from '#core/shared/pagination.ts'
import { httpHandler } from '../middleware/http-handler.ts'
import { pathParameter, queryParameter } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'
import { cors, imageApi } from '../services/image-services.ts'

export const handler = httpHandler(async (event) => {
  const groupId = pathParameter(event, 'groupId')
  const page = pageRequestFrom({
    limit: queryParameter(event, 'limit'),
    nextKey: queryParameter(event, 'nextKey'),
  })
  return jsonResponse(200, await imageApi.listGroupImages(groupId, page))
}, cors)
