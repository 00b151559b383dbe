/**
 * Reading items back: the table may hold items written by an older version or by hand, so every
 * field is checked instead of trusting a cast. A bad item is a server fault, named for whoever debugs it.
 */
export type Item = Record<string, unknown>

export function stringField(item: Item, field: string, itemName: string): string {
  const value = item[field]
  if (typeof value !== 'string') {
    throw new Error(
      `${itemName} has no string "${field}" (found ${value === undefined ? 'nothing' : typeof value})`,
    )
  }
  return value
}

/** DynamoDB rejects key values that are empty or longer than 2048 bytes; no stored item has one. */
export function isPossibleKeyValue(value: string): boolean {
  return value.length > 0 && Buffer.byteLength(value, 'utf8') <= 2048
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException'
}
