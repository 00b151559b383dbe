import { logger } from '../../shared/logger.ts'
import { httpHandler } from '../middleware/http-handler.ts'
import { callerId, pathParameter } from '../middleware/http-request.ts'
import { noContent } from '../middleware/http-response.ts'
import { cors, imageApi } from '../services/image-services.ts'

export const handler = httpHandler(async (event) => {
  const { image, leftovers } = await imageApi.deleteImage(pathParameter(event, 'imageId'), callerId(event))
  // The image is deleted (its record is gone, so the answer is 204), but these objects are still stored
  // and served to whoever has their URL: an operator removes them by these keys.
  for (const { store, key, cause } of leftovers) {
    logger.error('deleted image left an object behind', { imageId: image.imageId, store, key, error: cause })
  }
  return noContent()
}, cors)
