import { InvalidInputError } from '#core/shared/errors.ts'
import { decodeOpaqueToken, encodeOpaqueToken } from '#core/shared/opaque-token.ts'

/** pageRequestFrom already caps a nextKey at 2048 characters; this keeps the decoder safe on its own. */
const MAX_CURSOR_LENGTH = 2048
/**
 * DynamoDB caps a sort key at 1024 bytes (a partition key at 2048); a longer value in a start key makes
 * it answer ValidationException, so no value of ours, ids and ISO timestamps included, comes near it.
 */
const MAX_VALUE_BYTES = 1024

const FOREIGN_KEY = 'nextKey is not a key returned by this listing'

/**
 * A listing's nextKey: the DynamoDB key of the last item returned, as base64url JSON. Callers treat it
 * as opaque; only the listing that issued it decodes it.
 */
/** Timestamps in keys are what `Date.prototype.toISOString` writes, and nothing else. */
export function isIsoTimestamp(value: string): boolean {
  const time = Date.parse(value)
  return !Number.isNaN(time) && new Date(time).toISOString() === value
}

export function encodeCursor(key: Readonly<Record<string, string>>): string {
  return encodeOpaqueToken(key)
}

/**
 * Reads a nextKey back into an ExclusiveStartKey, accepting exactly what `encodeCursor` makes from a
 * key with these attribute names and string values; anything else is the client's error.
 */
export function decodeCursor<const Name extends string>(
  nextKey: string,
  attributeNames: readonly Name[],
): Record<Name, string> {
  const parsed = decodeOpaqueToken(nextKey, { maxLength: MAX_CURSOR_LENGTH, foreign: FOREIGN_KEY })
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidInputError(FOREIGN_KEY)
  }
  const entries = Object.entries(parsed)
  const wellFormed =
    entries.length === attributeNames.length &&
    entries.every(
      ([name, value]) =>
        attributeNames.includes(name as Name) &&
        typeof value === 'string' &&
        value.length > 0 &&
        Buffer.byteLength(value, 'utf8') <= MAX_VALUE_BYTES,
    )
  if (!wellFormed) throw new InvalidInputError(FOREIGN_KEY)
  return parsed as Record<Name, string>
}
