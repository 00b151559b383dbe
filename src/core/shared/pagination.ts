import { InvalidInputError } from './errors.ts'

export const DEFAULT_PAGE_SIZE = 20
export const MAX_PAGE_SIZE = 100

/** Which slice of a listing to read. `nextKey` is opaque: only the repository that issued it reads it. */
export interface PageRequest {
  limit: number
  nextKey?: string
}

export interface Page<T> {
  items: T[]
  /** Present only when more items follow. */
  nextKey?: string
}

/** Builds a PageRequest from raw query values, rejecting what a listing cannot serve. */
export function pageRequestFrom(raw: {
  limit?: string | undefined
  nextKey?: string | undefined
}): PageRequest {
  let limit = DEFAULT_PAGE_SIZE
  if (raw.limit !== undefined) {
    if (!/^\d{1,3}$/.test(raw.limit)) {
      throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`)
    }
    limit = Number(raw.limit)
    if (limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`)
    }
  }
  if (raw.nextKey === undefined) return { limit }
  if (raw.nextKey.length === 0 || raw.nextKey.length > 2048) {
    throw new InvalidInputError('nextKey is not a key returned by this listing')
  }
  return { limit, nextKey: raw.nextKey }
}
