import { type FormEvent, useId, useState } from 'react'
import { navigate } from '../../app/navigation.tsx'
import {
  characters,
  GROUP_DESCRIPTION_MAX,
  GROUP_NAME_MAX,
  type GroupDraftErrors,
  validateGroupDraft,
} from '../../lib/group-form.ts'
import { hrefOf } from '../../lib/routes.ts'
import { ErrorMessage } from '../../ui/error-message.tsx'
import { useCreateGroup } from './group-queries.ts'

export function CreateGroupForm() {
  const id = useId()
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [errors, setErrors] = useState<GroupDraftErrors>({})
  const create = useCreateGroup()

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const found = validateGroupDraft({ name, description })
    setErrors(found)
    if (found.name !== undefined) {
      document.getElementById(`${id}-name`)?.focus()
      return
    }
    if (found.description !== undefined) {
      document.getElementById(`${id}-description`)?.focus()
      return
    }
    create.mutate(
      { name, description },
      { onSuccess: (group) => navigate(hrefOf({ page: 'group', groupId: group.id })) },
    )
  }

  return (
    <form className="card create-group" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New group</h2>
      <label htmlFor={`${id}-name`}>Name</label>
      <input
        id={`${id}-name`}
        value={name}
        onChange={(event) => setName(event.target.value)}
        aria-invalid={errors.name !== undefined}
        aria-describedby={`${id}-name-help`}
        required
      />
      <p id={`${id}-name-help`} className={errors.name ? 'field-error' : 'field-help'}>
        {errors.name ?? `${characters(name)} of ${GROUP_NAME_MAX} characters`}
      </p>
      <label htmlFor={`${id}-description`}>Description (optional)</label>
      <textarea
        id={`${id}-description`}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        aria-invalid={errors.description !== undefined}
        aria-describedby={`${id}-description-help`}
        rows={2}
      />
      <p id={`${id}-description-help`} className={errors.description ? 'field-error' : 'field-help'}>
        {errors.description ?? `${characters(description)} of ${GROUP_DESCRIPTION_MAX} characters`}
      </p>
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create group'}
      </button>
      <ErrorMessage error={create.error} />
    </form>
  )
}
