import { cors, groupApi } from '../api-services.ts'
import { httpHandler } from '../middleware/http-handler.ts'
import { callerId, jsonBody } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'

export const handler = httpHandler(async (event) => {
  const newItem = await groupApi.createGroup(jsonBody(event), callerId(event))
  return jsonResponse(201, { newItem })
}, cors)
