import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createGroupRequestSchema } from '../../infra/schemas/create-group-request.ts'
import { GROUP_DESCRIPTION_MAX, GROUP_NAME_MAX, validateGroupDraft } from '../../web/src/lib/group-form.ts'

describe('new group form', () => {
  it('has the limits of the API schema', () => {
    assert.equal(GROUP_NAME_MAX, createGroupRequestSchema.properties.name.maxLength)
    assert.equal(GROUP_DESCRIPTION_MAX, createGroupRequestSchema.properties.description.maxLength)
  })

  it('wants a visible name and counts characters as the API does (code points)', () => {
    assert.deepEqual(validateGroupDraft({ name: 'Harbour', description: '' }), {})
    assert.ok(validateGroupDraft({ name: '', description: '' }).name)
    assert.ok(validateGroupDraft({ name: ' \u200b\t', description: '' }).name, 'blank or invisible')
    assert.deepEqual(validateGroupDraft({ name: '😀'.repeat(100), description: '' }), {})
    assert.match(validateGroupDraft({ name: 'x'.repeat(101), description: '' }).name ?? '', /at most 100/)
    assert.match(
      validateGroupDraft({ name: 'x', description: 'y'.repeat(1001) }).description ?? '',
      /at most 1000/,
    )
    assert.ok(validateGroupDraft({ name: 'a\ud800', description: '' }).name, 'a lone surrogate')
  })
})
