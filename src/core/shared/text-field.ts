import { InvalidInputError } from './errors.ts'

/** Anything but white space and invisible format characters (zero-width space, joiners, BOM...). */
const VISIBLE = /[^\p{White_Space}\p{Cf}]/u

interface TextRule {
  field: string
  min: number
  max: number
}

/** Checks one user-supplied text field; `min` > 0 also rejects text that is only whitespace. */
export function requireText(value: unknown, rule: TextRule): string {
  if (typeof value !== 'string') {
    throw new InvalidInputError(`${rule.field} must be a string`)
  }
  if (!value.isWellFormed()) {
    // A lone surrogate is no character at all, and storage may not keep it as sent.
    throw new InvalidInputError(`${rule.field} must be valid Unicode text`)
  }
  const length = [...value].length
  if (length > rule.max) {
    throw new InvalidInputError(`${rule.field} must be at most ${rule.max} characters`)
  }
  if (length < rule.min || (rule.min > 0 && !VISIBLE.test(value))) {
    throw new InvalidInputError(`${rule.field} must not be empty`)
  }
  return value
}

export function optionalText(value: unknown, rule: TextRule): string {
  return value === undefined ? '' : requireText(value, rule)
}

/** Refuses fields the use case does not know, so a typo is an error instead of silently lost data. */
export function rejectUnknownFields(input: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(input).filter((key) => !known.includes(key))
  if (unknown.length > 0) {
    throw new InvalidInputError(`unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`)
  }
}

export function requireObject(input: unknown, what: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidInputError(`${what} must be a JSON object`)
  }
  return input as Record<string, unknown>
}
