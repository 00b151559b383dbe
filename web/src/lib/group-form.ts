/** The API's limits for a new group (infra/schemas/create-group-request.ts), checked before sending. */
export const GROUP_NAME_MAX = 100
export const GROUP_DESCRIPTION_MAX = 1000

export interface GroupDraft {
  name: string
  description: string
}

export type GroupDraftErrors = Partial<Record<keyof GroupDraft, string>>

/** Anything but white space and invisible format characters, as the API counts it. */
const VISIBLE = /[^\p{White_Space}\p{Cf}]/u

/** What is wrong with a draft, field by field, in the API's words; empty when it can be sent. */
export function validateGroupDraft(draft: GroupDraft): GroupDraftErrors {
  const errors: GroupDraftErrors = {}
  const nameLength = characters(draft.name)
  if (nameLength === 0 || !VISIBLE.test(draft.name)) errors.name = 'Give the group a name.'
  else if (nameLength > GROUP_NAME_MAX) errors.name = `The name is at most ${GROUP_NAME_MAX} characters.`
  if (characters(draft.description) > GROUP_DESCRIPTION_MAX) {
    errors.description = `The description is at most ${GROUP_DESCRIPTION_MAX} characters.`
  }
  if (!draft.name.isWellFormed() || !draft.description.isWellFormed()) {
    errors.name ??= 'The text holds characters that are not valid Unicode.'
  }
  return errors
}

/** Characters as the API counts them: code points, not UTF-16 units. */
export function characters(text: string): number {
  return [...text].length
}
