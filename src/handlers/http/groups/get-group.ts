import { httpHandler } from '../middleware/http-handler.ts'
import { pathParameter } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'
import { cors, groupApi } from '../services/group-services.ts'

export const handler = httpHandler(async (event) => {
  const item = await groupApi.getGroup(pathParameter(event, 'groupId'))
  return jsonResponse(200, { item })
}, cors)
