import { httpHandler } from '../middleware/http-handler.ts'
import { callerId, jsonBody, pathParameter } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'
import { cors, imageApi } from '../services/image-services.ts'

export const handler = httpHandler(async (event) => {
  const { image, uploadUrl } = await imageApi.createImage(
    pathParameter(event, 'groupId'),
    jsonBody(event),
    callerId(event),
  )
  return jsonResponse(201, { newItem: image, uploadUrl })
}, cors)
