import {
  closeSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import type { StreamRecord } from '../../streams/stream-source.ts'

/** DynamoDB Streams keeps a record for 24 hours. */
export const RETENTION_SECONDS = 24 * 60 * 60

export interface StreamLogOptions {
  /** The append-only file; in memory only when absent. */
  path?: string | undefined
  /** Epoch milliseconds. */
  clock: () => number
  /**
   * The file is rewritten without its dropped prefix once that prefix is at least this large and
   * larger than what is still kept, so that rewriting costs O(1) per appended byte.
   */
  compactMinBytes: number
}

interface TrimMarker {
  trimmedUpTo: string
}

/**
 * One table's stream: its records in memory, oldest first, and with a `path` the same records as one
 * JSON line each in an append-only file. `trim` appends a marker line instead of rewriting the file,
 * so a restart reads back only what was not trimmed; the dropped prefix is compacted away later.
 *
 * `append` writes with one synchronous write(2) before it returns: once the caller answers the client,
 * the record is in the operating system's hands and survives a crash (or SIGKILL) of this process. It
 * does not fsync, like dynalite's LevelDB (`sync: false`), so a power cut may lose the latest records
 * together with the latest items.
 */
export class StreamLog {
  readonly #options: StreamLogOptions
  #records: StreamRecord[] = []
  /** The file size of each record's line, by position in #records (disk only). */
  #lineBytes: number[] = []
  /** Index in #records of the oldest record kept; those before it are dropped. */
  #head = 0
  /** Bytes of the file that hold dropped records and trim markers. */
  #deadBytes = 0
  #liveBytes = 0
  #fd: number | undefined

  private constructor(options: StreamLogOptions) {
    this.#options = options
  }

  /** Opens the log, reading back the file at `path` when it exists. Throws on a corrupt file. */
  static open(options: StreamLogOptions): StreamLog {
    const log = new StreamLog(options)
    if (options.path !== undefined) log.#load(options.path)
    log.#dropExpired()
    return log
  }

  get lastSequenceNumber(): string | undefined {
    return this.#records.at(-1)?.dynamodb.SequenceNumber
  }

  append(record: StreamRecord): void {
    this.#dropExpired()
    if (this.#fd !== undefined) {
      const line = `${JSON.stringify(record)}\n`
      const bytes = writeSync(this.#fd, line)
      this.#lineBytes.push(bytes)
      this.#liveBytes += bytes
    }
    this.#records.push(record)
  }

  /** Records with a SequenceNumber greater than `after` (all kept when undefined), oldest first. */
  read(after: string | undefined, limit: number): StreamRecord[] {
    this.#dropExpired()
    const start = after === undefined ? this.#head : this.#firstAfter(after)
    return this.#records.slice(start, start + Math.max(0, limit))
  }

  /** Drops the records up to and including `upTo`. */
  trim(upTo: string): void {
    const end = this.#firstAfter(upTo)
    if (end === this.#head) return
    if (this.#fd !== undefined) {
      const marker: TrimMarker = { trimmedUpTo: upTo }
      this.#deadBytes += writeSync(this.#fd, `${JSON.stringify(marker)}\n`)
    }
    this.#dropBefore(end)
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd)
    this.#fd = undefined
  }

  /** Closes the log and deletes its file: the stream is gone. */
  remove(): void {
    this.close()
    if (this.#options.path !== undefined) rmSync(this.#options.path, { force: true })
    this.#records = []
    this.#lineBytes = []
    this.#head = 0
  }

  #firstAfter(sequenceNumber: string): number {
    let low = this.#head
    let high = this.#records.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((this.#records[middle]?.dynamodb.SequenceNumber ?? '') <= sequenceNumber) low = middle + 1
      else high = middle
    }
    return low
  }

  #dropExpired(): void {
    const oldest = Math.floor(this.#options.clock() / 1000) - RETENTION_SECONDS
    let end = this.#head
    while (
      end < this.#records.length &&
      (this.#records[end]?.dynamodb.ApproximateCreationDateTime ?? 0) < oldest
    ) {
      end++
    }
    if (end > this.#head) this.#dropBefore(end)
  }

  #dropBefore(end: number): void {
    if (this.#fd !== undefined) {
      let bytes = 0
      for (let i = this.#head; i < end; i++) bytes += this.#lineBytes[i] ?? 0
      this.#deadBytes += bytes
      this.#liveBytes -= bytes
    }
    this.#head = end
    // Shift the arrays only now and then, so that dropping stays O(1) per record.
    if (this.#head > 1024 && this.#head * 2 > this.#records.length) {
      this.#records = this.#records.slice(this.#head)
      this.#lineBytes = this.#lineBytes.slice(this.#head)
      this.#head = 0
    }
    if (this.#deadBytes >= this.#options.compactMinBytes && this.#deadBytes > this.#liveBytes) this.#compact()
  }

  /** Writes the kept records to a temporary file and renames it over the log. */
  #compact(): void {
    const path = this.#options.path
    if (path === undefined || this.#fd === undefined) return
    const kept = this.#records.slice(this.#head)
    const lines = kept.map((record) => `${JSON.stringify(record)}\n`)
    const temporary = `${path}.tmp`
    writeFileSync(temporary, lines.join(''))
    closeSync(this.#fd)
    renameSync(temporary, path)
    this.#fd = openSync(path, 'a')
    this.#records = kept
    this.#lineBytes = lines.map((line) => Buffer.byteLength(line))
    this.#head = 0
    this.#deadBytes = 0
    this.#liveBytes = this.#lineBytes.reduce((sum, bytes) => sum + bytes, 0)
  }

  #load(path: string): void {
    let content: Buffer
    try {
      content = readFileSync(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      content = Buffer.alloc(0)
    }
    // A crash in the middle of a write leaves a line without its newline: that write was never
    // acknowledged, so it is cut off before anything is appended after it.
    const complete = content.lastIndexOf(0x0a) + 1
    let trimmedUpTo = ''
    let offset = 0
    while (offset < complete) {
      const end = content.indexOf(0x0a, offset) + 1
      const line = content.subarray(offset, end).toString('utf8')
      const entry = parseLine(line, path)
      if ('trimmedUpTo' in entry) {
        if (entry.trimmedUpTo > trimmedUpTo) trimmedUpTo = entry.trimmedUpTo
        this.#deadBytes += end - offset
      } else {
        this.#records.push(entry)
        this.#lineBytes.push(end - offset)
        this.#liveBytes += end - offset
      }
      offset = end
    }
    this.#fd = openSync(path, 'a')
    if (complete < content.length) ftruncateSync(this.#fd, complete)
    if (trimmedUpTo !== '') this.#dropBefore(this.#firstAfter(trimmedUpTo))
  }
}

function parseLine(line: string, path: string): StreamRecord | TrimMarker {
  let entry: unknown
  try {
    entry = JSON.parse(line)
  } catch {
    entry = undefined
  }
  if (typeof entry === 'object' && entry !== null) {
    const { trimmedUpTo, dynamodb } = entry as Record<string, unknown>
    if (typeof trimmedUpTo === 'string') return { trimmedUpTo }
    if (
      typeof dynamodb === 'object' &&
      dynamodb !== null &&
      typeof (dynamodb as Record<string, unknown>).SequenceNumber === 'string'
    ) {
      return entry as StreamRecord
    }
  }
  throw new Error(
    `the stream log ${path} has a line that is not a stream record: ${line.slice(0, 120)}. ` +
      'Delete the file (its stream loses its records) or the data folder.',
  )
}
