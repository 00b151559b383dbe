import { environment } from '../environment.ts'

/**
 * Body of `POST /groups/{groupId}/images`. API Gateway validates it (draft-04 is the only draft it
 * accepts) and the local gateway validates it with ajv against this very object.
 */
export const createImageRequestSchema = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'CreateImageRequest',
  type: 'object',
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', minLength: 0, maxLength: 1000 },
    contentType: { type: 'string', enum: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] },
    // Required: the upload URL signs this exact size, so the storage refuses any other (see README).
    contentLength: { type: 'integer', minimum: 1, maximum: Number(environment.MAX_UPLOAD_BYTES) },
  },
  required: ['title', 'contentLength'],
  additionalProperties: false,
}
