import type { ByteRange } from './object-store.ts'
import { S3Error } from './s3-errors.ts'

/**
 * Reads a `Range` header the way S3 does: one `bytes=` range (`a-b`, `a-`, `-n`) is served as 206;
 * a header S3 does not understand (several ranges, bad syntax) is ignored and the whole object
 * served; a range starting past the end is 416 InvalidRange.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (match === null) return undefined
  const [, startText = '', endText = ''] = match
  if (startText === '' && endText === '') return undefined
  if (startText === '') {
    const suffixLength = Number(endText)
    if (suffixLength === 0 || size === 0) throw invalidRange(header, size)
    return { start: Math.max(0, size - suffixLength), end: size - 1 }
  }
  const start = Number(startText)
  const requestedEnd = endText === '' ? Number.POSITIVE_INFINITY : Number(endText)
  if (requestedEnd < start) return undefined
  if (start >= size) throw invalidRange(header, size)
  return { start, end: Math.min(requestedEnd, size - 1) }
}

function invalidRange(header: string, size: number): S3Error {
  return new S3Error('InvalidRange', 'The requested range is not satisfiable', {
    details: { RangeRequested: header, ActualObjectSize: String(size) },
    headers: { 'Content-Range': `bytes */${size}` },
  })
}
