import { Readable } from 'node:stream'
import {
  type ByteRange,
  type ObjectMetadata,
  type ObjectSnapshot,
  type ObjectStore,
  type PendingUpload,
  sortedWithPrefix,
} from './object-store.ts'

interface MemoryObject {
  metadata: ObjectMetadata
  data: Buffer
}

/** Objects in a Map: nothing touches the disk, everything is gone on close. */
export class MemoryObjectStore implements ObjectStore {
  readonly #buckets = new Map<string, Map<string, MemoryObject>>()

  constructor(bucketNames: readonly string[]) {
    for (const name of bucketNames) this.#buckets.set(name, new Map())
  }

  async startUpload(bucket: string): Promise<PendingUpload> {
    const objects = this.#bucket(bucket)
    const chunks: Buffer[] = []
    return {
      write: async (data) => {
        chunks.push(Buffer.from(data))
      },
      commit: async (metadata) => {
        objects.set(metadata.key, { metadata, data: Buffer.concat(chunks) })
      },
      abort: async () => {
        chunks.length = 0
      },
    }
  }

  async open(bucket: string, key: string): Promise<ObjectSnapshot | undefined> {
    const object = this.#bucket(bucket).get(key)
    if (object === undefined) return undefined
    return {
      metadata: object.metadata,
      stream: (range?: ByteRange) => {
        const bytes = range === undefined ? object.data : object.data.subarray(range.start, range.end + 1)
        return Readable.from([bytes], { objectMode: false })
      },
      release: async () => undefined,
    }
  }

  async remove(bucket: string, key: string): Promise<void> {
    this.#bucket(bucket).delete(key)
  }

  async list(bucket: string, prefix: string): Promise<ObjectMetadata[]> {
    return sortedWithPrefix(
      [...this.#bucket(bucket).values()].map((object) => object.metadata),
      prefix,
    )
  }

  async close(): Promise<void> {}

  #bucket(name: string): Map<string, MemoryObject> {
    const objects = this.#buckets.get(name)
    if (objects === undefined) throw new Error(`Unknown bucket "${name}"`)
    return objects
  }
}
