import { httpHandler } from '../middleware/http-handler.ts'
import { pathParameter } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'
import { cors, imageApi } from '../services/image-services.ts'

export const handler = httpHandler(async (event) => {
  const item = await imageApi.getImage(pathParameter(event, 'imageId'))
  return jsonResponse(200, { item })
}, cors)
