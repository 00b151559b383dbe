/**
 * Body of `POST /groups`. API Gateway validates it (draft-04 is the only draft it accepts) and the
 * local gateway validates it with ajv against this very object.
 */
export const createGroupRequestSchema = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'CreateGroupRequest',
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    description: { type: 'string', minLength: 0, maxLength: 1000 },
  },
  required: ['name', 'description'],
  additionalProperties: false,
}
