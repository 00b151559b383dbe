import type { Readable } from 'node:stream'
import type { ObjectChecksum } from './checksums.ts'

/** What S3 keeps about an object besides its bytes. */
export interface ObjectMetadata {
  key: string
  size: number
  /** Quoted MD5 hex, as S3 sends it for a single-part upload. */
  eTag: string
  lastModified: Date
  contentType: string
  /** Standard headers stored at upload and served back (lower-case names), e.g. `cache-control`. */
  headers: Record<string, string>
  /** `x-amz-meta-*` values keyed by the lower-case name without the prefix. */
  userMetadata: Record<string, string>
  checksum: ObjectChecksum | undefined
}

/** Inclusive byte offsets, as in `Range: bytes=start-end`. */
export interface ByteRange {
  start: number
  end: number
}

/**
 * An object as it was when opened: a later overwrite or delete does not change what it streams.
 * Call `stream` once, or `release` when the bytes are not needed (HEAD, 304).
 */
export interface ObjectSnapshot {
  readonly metadata: ObjectMetadata
  stream(range?: ByteRange): Readable
  release(): Promise<void>
}

/** Bytes being received; invisible to readers until `commit`, gone after `abort`. */
export interface PendingUpload {
  write(data: Buffer): Promise<void>
  commit(metadata: ObjectMetadata): Promise<void>
  abort(): Promise<void>
}

/** Where the local S3 keeps objects: on disk (survives restarts) or in memory (tests). */
export interface ObjectStore {
  startUpload(bucket: string): Promise<PendingUpload>
  open(bucket: string, key: string): Promise<ObjectSnapshot | undefined>
  remove(bucket: string, key: string): Promise<void>
  /** Objects whose key starts with `prefix`, in S3's order: by the UTF-8 bytes of the key. */
  list(bucket: string, prefix: string): Promise<ObjectMetadata[]>
  /** Waits for commits in progress. */
  close(): Promise<void>
}

export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

export function sortedWithPrefix(objects: Iterable<ObjectMetadata>, prefix: string): ObjectMetadata[] {
  return [...objects]
    .filter((object) => object.key.startsWith(prefix))
    .sort((a, b) => compareKeys(a.key, b.key))
}

/** Runs tasks one at a time, so commits and deletes of one store never interleave. */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve()

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task)
    this.#tail = result.catch(() => undefined)
    return result
  }

  async drain(): Promise<void> {
    await this.#tail
  }
}
