import { InvalidInputError } from '#core/shared/errors.ts'

const FOREIGN_KEY = 'nextKey is not a key returned by this listing'

/**
 * The fake's nextKey has the same properties as the DynamoDB one: opaque to callers (base64url JSON of
 * the last item's key) and rejected when it is not exactly such a key.
 */
export function encodeMemoryCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

export function decodeMemoryCursor<const Name extends string>(
  nextKey: string,
  names: readonly Name[],
): Record<Name, string> {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(nextKey, 'base64url').toString('utf8'))
  } catch (error) {
    throw new InvalidInputError(FOREIGN_KEY, { cause: error })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidInputError(FOREIGN_KEY)
  }
  const entries = Object.entries(parsed)
  const exact =
    entries.length === names.length &&
    entries.every(([name, value]) => names.includes(name as Name) && typeof value === 'string')
  if (!exact || encodeMemoryCursor(parsed as Record<string, string>) !== nextKey) {
    throw new InvalidInputError(FOREIGN_KEY)
  }
  return parsed as Record<Name, string>
}
