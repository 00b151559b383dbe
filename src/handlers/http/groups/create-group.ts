import { count, logContext, logger } from '../../shared/observability.ts'
import { httpHandler } from '../middleware/http-handler.ts'
import { callerId, jsonBody } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'
import { cors, groupApi } from '../services/group-services.ts'

export const handler = httpHandler(async (event) => {
  const newItem = await groupApi.createGroup(jsonBody(event), callerId(event))
  logContext({ groupId: newItem.id })
  logger.info('group created')
  count('GroupsCreated')
  return jsonResponse(201, { newItem })
}, cors)
