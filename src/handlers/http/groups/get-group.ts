import { cors, groupApi } from '../api-services.ts'
import { httpHandler } from '../middleware/http-handler.ts'
import { pathParameter } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'

export const handler = httpHandler(async (event) => {
  const item = await groupApi.getGroup(pathParameter(event, 'groupId'))
  return jsonResponse(200, { item })
}, cors)
