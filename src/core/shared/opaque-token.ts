import { InvalidInputError } from './errors.ts'

/**
 * Tokens handed to clients and read back (a listing's nextKey, a search cursor): a JSON value as
 * base64url. Clients treat them as opaque; only their issuer reads them.
 */
export function encodeOpaqueToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')
}

/**
 * The JSON value inside a token `encodeOpaqueToken` made, or InvalidInputError(`foreign`): too long,
 * not base64url JSON, or not in the one spelling the encoder writes (no padding, whitespace or other
 * spellings of the same value). The caller checks the value's shape.
 */
export function decodeOpaqueToken(token: string, limits: { maxLength: number; foreign: string }): unknown {
  if (token.length === 0 || token.length > limits.maxLength || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw new InvalidInputError(limits.foreign)
  }
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch (error) {
    throw new InvalidInputError(limits.foreign, { cause: error })
  }
  if (encodeOpaqueToken(value) !== token) throw new InvalidInputError(limits.foreign)
  return value
}
