import { createHash, randomUUID } from 'node:crypto'
import { type FileHandle, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { CHECKSUM_ALGORITHMS } from './checksums.ts'
import {
  type ByteRange,
  type ObjectMetadata,
  type ObjectSnapshot,
  type ObjectStore,
  type PendingUpload,
  SerialQueue,
  sortedWithPrefix,
} from './object-store.ts'

/**
 * Objects on disk, one directory per bucket:
 *
 *   <dir>/<bucket>/blobs/<uuid>             the bytes, written once, never modified
 *   <dir>/<bucket>/meta/<sha256(key)>.json  the metadata and the name of the blob
 *
 * The atomic rename of the metadata file is the commit point: a crash leaves either the old
 * object or the new one, never a half-written one. Unreferenced blobs and `.tmp` files left by a
 * crash are removed at start. The metadata is also indexed in memory, so HEAD and list never
 * read the disk; this process must be the only writer of the directory.
 */
export class DiskObjectStore implements ObjectStore {
  readonly #dir: string
  readonly #index: Map<string, Map<string, IndexedObject>>
  readonly #queue = new SerialQueue()

  private constructor(dir: string, index: Map<string, Map<string, IndexedObject>>) {
    this.#dir = dir
    this.#index = index
  }

  static async open(dir: string, bucketNames: readonly string[]): Promise<DiskObjectStore> {
    const index = new Map<string, Map<string, IndexedObject>>()
    for (const bucket of bucketNames) {
      index.set(bucket, await loadBucket(join(dir, bucket)))
    }
    return new DiskObjectStore(dir, index)
  }

  async startUpload(bucket: string): Promise<PendingUpload> {
    const objects = this.#bucket(bucket)
    const blob = randomUUID()
    const blobPath = this.#blobPath(bucket, blob)
    const file = await open(blobPath, 'wx')
    let closed = false
    const closeFile = async (): Promise<void> => {
      if (closed) return
      closed = true
      await file.close()
    }
    return {
      write: async (data) => {
        await writeFully(file, data)
      },
      commit: async (metadata) => {
        await file.sync()
        await closeFile()
        await this.#queue.run(async () => {
          await writeFileAtomically(this.#metaPath(bucket, metadata.key), serializeMetadata(metadata, blob))
          const previous = objects.get(metadata.key)
          objects.set(metadata.key, { metadata, blob })
          if (previous !== undefined) await removeIfPresent(this.#blobPath(bucket, previous.blob))
        })
      },
      abort: async () => {
        await closeFile().catch(() => undefined)
        await removeIfPresent(blobPath)
      },
    }
  }

  async open(bucket: string, key: string): Promise<ObjectSnapshot | undefined> {
    const objects = this.#bucket(bucket)
    // An overwrite may remove the blob between the index lookup and the open: look again once.
    for (let attempt = 0; attempt < 2; attempt++) {
      const object = objects.get(key)
      if (object === undefined) return undefined
      const file = await open(this.#blobPath(bucket, object.blob), 'r').catch((error: unknown) => {
        if (isNotFound(error)) return undefined
        throw error
      })
      if (file !== undefined) return snapshotOf(object.metadata, file)
    }
    return undefined
  }

  async remove(bucket: string, key: string): Promise<void> {
    const objects = this.#bucket(bucket)
    await this.#queue.run(async () => {
      const object = objects.get(key)
      if (object === undefined) return
      await removeIfPresent(this.#metaPath(bucket, key))
      objects.delete(key)
      await removeIfPresent(this.#blobPath(bucket, object.blob))
    })
  }

  async list(bucket: string, prefix: string): Promise<ObjectMetadata[]> {
    return sortedWithPrefix(
      [...this.#bucket(bucket).values()].map((object) => object.metadata),
      prefix,
    )
  }

  async close(): Promise<void> {
    await this.#queue.drain()
  }

  #bucket(name: string): Map<string, IndexedObject> {
    const objects = this.#index.get(name)
    if (objects === undefined) throw new Error(`Unknown bucket "${name}"`)
    return objects
  }

  #blobPath(bucket: string, blob: string): string {
    return join(this.#dir, bucket, BLOBS, blob)
  }

  #metaPath(bucket: string, key: string): string {
    return join(this.#dir, bucket, META, `${createHash('sha256').update(key, 'utf8').digest('hex')}.json`)
  }
}

const BLOBS = 'blobs'
const META = 'meta'

interface IndexedObject {
  metadata: ObjectMetadata
  blob: string
}

const storedObjectSchema = z.object({
  version: z.literal(1),
  blob: z.uuid(),
  key: z.string(),
  size: z.number().int().nonnegative(),
  eTag: z.string(),
  lastModified: z.iso.datetime(),
  contentType: z.string(),
  headers: z.record(z.string(), z.string()),
  userMetadata: z.record(z.string(), z.string()),
  checksum: z.object({ algorithm: z.enum(CHECKSUM_ALGORITHMS), value: z.string() }).optional(),
})

function serializeMetadata(metadata: ObjectMetadata, blob: string): string {
  const stored: z.input<typeof storedObjectSchema> = {
    version: 1,
    blob,
    key: metadata.key,
    size: metadata.size,
    eTag: metadata.eTag,
    lastModified: metadata.lastModified.toISOString(),
    contentType: metadata.contentType,
    headers: metadata.headers,
    userMetadata: metadata.userMetadata,
    checksum: metadata.checksum,
  }
  return JSON.stringify(stored)
}

async function loadBucket(bucketDir: string): Promise<Map<string, IndexedObject>> {
  const metaDir = join(bucketDir, META)
  const blobDir = join(bucketDir, BLOBS)
  await mkdir(metaDir, { recursive: true })
  await mkdir(blobDir, { recursive: true })
  const objects = new Map<string, IndexedObject>()
  for (const name of await readdir(metaDir)) {
    const path = join(metaDir, name)
    if (!name.endsWith('.json')) {
      await removeIfPresent(path)
      continue
    }
    const parsed = storedObjectSchema.safeParse(JSON.parse(await readFile(path, 'utf8')))
    if (!parsed.success) {
      throw new Error(`Local S3: ${path} is not a valid object record: ${z.prettifyError(parsed.error)}`)
    }
    const { blob, lastModified, checksum, version: _version, ...rest } = parsed.data
    objects.set(rest.key, { blob, metadata: { ...rest, lastModified: new Date(lastModified), checksum } })
  }
  const referenced = new Set([...objects.values()].map((object) => object.blob))
  for (const name of await readdir(blobDir)) {
    if (!referenced.has(name)) await removeIfPresent(join(blobDir, name))
  }
  return objects
}

function snapshotOf(metadata: ObjectMetadata, file: FileHandle): ObjectSnapshot {
  let released = false
  return {
    metadata,
    stream: (range?: ByteRange) => {
      released = true
      return file.createReadStream(
        range === undefined ? { autoClose: true } : { start: range.start, end: range.end, autoClose: true },
      )
    },
    release: async () => {
      if (released) return
      released = true
      await file.close()
    },
  }
}

async function writeFully(file: FileHandle, data: Buffer): Promise<void> {
  let offset = 0
  while (offset < data.length) {
    const { bytesWritten } = await file.write(data, offset, data.length - offset)
    offset += bytesWritten
  }
}

async function writeFileAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`
  const file = await open(temporary, 'wx')
  try {
    await file.writeFile(content, 'utf8')
    await file.sync()
  } finally {
    await file.close()
  }
  await rename(temporary, path)
}

async function removeIfPresent(path: string): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if (!isNotFound(error)) throw error
  })
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT'
}
