import { httpHandler } from '../middleware/http-handler.ts'
import { callerId, pathParameter } from '../middleware/http-request.ts'
import { noContent } from '../middleware/http-response.ts'
import { cors, groupApi } from '../services/group-services.ts'

export const handler = httpHandler(async (event) => {
  await groupApi.deleteGroup(pathParameter(event, 'groupId'), callerId(event))
  return noContent()
}, cors)
