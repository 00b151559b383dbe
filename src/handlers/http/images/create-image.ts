import { count, logContext, logger } from '../../shared/observability.ts'
import { httpHandler } from '../middleware/http-handler.ts'
import { callerId, correlationIdOf, jsonBody, pathParameter } from '../middleware/http-request.ts'
import { jsonResponse } from '../middleware/http-response.ts'
import { cors, imageApi } from '../services/image-services.ts'

export const handler = httpHandler(async (event) => {
  const { image, uploadUrl } = await imageApi.createImage(
    pathParameter(event, 'groupId'),
    jsonBody(event),
    callerId(event),
    { correlationId: correlationIdOf(event) },
  )
  logContext({ imageId: image.imageId })
  logger.info('image created')
  count('ImagesCreated')
  return jsonResponse(201, { newItem: image, uploadUrl })
}, cors)
