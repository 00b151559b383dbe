import { rejectUnknownFields, requireObject, requireText } from '../shared/text-field.ts'

export interface Group {
  id: string
  name: string
  description: string
  userId: string
  /** ISO-8601 creation time. */
  timestamp: string
}

export interface NewGroup {
  name: string
  description: string
}

export const GROUP_NAME_MAX = 100
export const GROUP_DESCRIPTION_MAX = 1000

export function parseNewGroup(input: unknown): NewGroup {
  const body = requireObject(input, 'request body')
  rejectUnknownFields(body, ['name', 'description'])
  return {
    name: requireText(body.name, { field: 'name', min: 1, max: GROUP_NAME_MAX }),
    description: requireText(body.description, { field: 'description', min: 0, max: GROUP_DESCRIPTION_MAX }),
  }
}
