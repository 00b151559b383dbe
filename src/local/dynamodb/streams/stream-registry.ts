import { randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AttributeMap, StreamRecord, StreamViewType, TableStream } from '../../streams/stream-source.ts'
import { StreamLog } from './stream-log.ts'
import { formatSequenceNumber, type ItemChange, isViewType, toStreamRecord } from './stream-records.ts'
import { WriteQueue } from './write-queue.ts'

export interface StreamRegistryOptions {
  /** Folder of the stream logs and of `streams.json`; everything stays in memory when absent. */
  dir?: string | undefined
  region: string
  accountId: string
  /** DynamoDB's item size of a map of attributes, for SizeBytes. */
  itemSize: (item: AttributeMap) => number
  /** Called after a record was appended to that table's stream. */
  onAppend?: (tableName: string) => void
  /** Epoch milliseconds; `Date.now` by default. */
  clock?: () => number
  /** See StreamLogOptions.compactMinBytes; 1 MiB by default. */
  compactMinBytes?: number
}

/** What is kept of a table's stream besides its records. */
export interface StreamDefinition {
  tableName: string
  viewType: StreamViewType
  /** DynamoDB's LatestStreamLabel: the creation time, `2024-05-01T12:34:56.789`. */
  label: string
  keyNames: readonly string[]
  /** dynalite's TableId of the table the stream was made for, to notice a table made anew without it. */
  tableId?: string | undefined
}

interface SavedState {
  version: 1
  /** No sequence number at or above this one was handed out: a restart continues from here. */
  sequenceCeiling: number
  streams: StreamDefinition[]
}

const STATE_FILE = 'streams.json'
/** Sequence numbers are reserved this many at a time, so `streams.json` is rewritten once per block. */
const SEQUENCE_BLOCK = 10_000
const DEFAULT_COMPACT_MIN_BYTES = 1024 * 1024

/** A table's stream while it is enabled. */
export class ActiveStream {
  readonly definition: StreamDefinition
  readonly streamArn: string
  readonly log: StreamLog
  /** The writes to this table, one at a time (see capture-item-writes.ts). */
  readonly queue = new WriteQueue()
  readonly #registry: StreamRegistry

  constructor(registry: StreamRegistry, definition: StreamDefinition, streamArn: string, log: StreamLog) {
    this.#registry = registry
    this.definition = definition
    this.streamArn = streamArn
    this.log = log
  }

  /** Appends the record of a successful write; nothing when the stream was disabled meanwhile. */
  record(change: ItemChange): void {
    this.#registry.append(this, change)
  }
}

/**
 * The streams of the local tables: which tables stream and how (kept in `streams.json`), one
 * StreamLog per stream, and the sequence counter. Sequence numbers come from one counter for all
 * tables, so they increase per table, never repeat across restarts, and never repeat for a table
 * deleted and made again (a consumer keeping a position by table name would otherwise skip records).
 */
export class StreamRegistry {
  readonly #options: StreamRegistryOptions
  readonly #clock: () => number
  readonly #streams = new Map<string, ActiveStream>()
  #nextSequence = 1
  #sequenceCeiling = 0
  #lastLabelTime = 0

  private constructor(options: StreamRegistryOptions) {
    this.#options = options
    this.#clock = options.clock ?? Date.now
  }

  /** Reads back the streams and their logs from `dir`, dropping files of streams that are gone. */
  static open(options: StreamRegistryOptions): StreamRegistry {
    const registry = new StreamRegistry(options)
    if (options.dir !== undefined) registry.#load(options.dir)
    return registry
  }

  get(tableName: string): ActiveStream | undefined {
    return this.#streams.get(tableName)
  }

  list(): TableStream[] {
    return [...this.#streams.values()].map((stream) => ({
      tableName: stream.definition.tableName,
      streamArn: stream.streamArn,
      viewType: stream.definition.viewType,
    }))
  }

  /** Starts a new stream for the table (with a new label and no records), replacing any it had. */
  enable(table: Omit<StreamDefinition, 'label'>): ActiveStream {
    this.#streams.get(table.tableName)?.log.remove()
    const time = Math.max(this.#clock(), this.#lastLabelTime + 1)
    this.#lastLabelTime = time
    const definition: StreamDefinition = { ...table, label: new Date(time).toISOString().slice(0, -1) }
    const stream = this.#open(definition)
    this.#streams.set(definition.tableName, stream)
    this.#save()
    return stream
  }

  /** Ends the table's stream and drops its records. */
  disable(tableName: string): void {
    const stream = this.#streams.get(tableName)
    if (stream === undefined) return
    this.#streams.delete(tableName)
    stream.log.remove()
    this.#save()
  }

  read(tableName: string, after: string | undefined, limit: number): StreamRecord[] {
    return this.#streams.get(tableName)?.log.read(after, limit) ?? []
  }

  trim(tableName: string, upTo: string): void {
    this.#streams.get(tableName)?.log.trim(upTo)
  }

  append(stream: ActiveStream, change: ItemChange): void {
    if (this.#streams.get(stream.definition.tableName) !== stream) return
    if (this.#nextSequence >= this.#sequenceCeiling) {
      this.#sequenceCeiling = this.#nextSequence + SEQUENCE_BLOCK
      this.#save()
    }
    const { definition } = stream
    const record = toStreamRecord(change, {
      viewType: definition.viewType,
      keyNames: definition.keyNames,
      streamArn: stream.streamArn,
      region: this.#options.region,
      sequenceNumber: formatSequenceNumber(this.#nextSequence++),
      eventID: randomUUID().replaceAll('-', ''),
      now: this.#clock(),
      itemSize: this.#options.itemSize,
    })
    stream.log.append(record)
    this.#options.onAppend?.(definition.tableName)
  }

  close(): void {
    for (const stream of this.#streams.values()) stream.log.close()
  }

  #open(definition: StreamDefinition): ActiveStream {
    const { dir, region, accountId } = this.#options
    const streamArn = `arn:aws:dynamodb:${region}:${accountId}:table/${definition.tableName}/stream/${definition.label}`
    const log = StreamLog.open({
      path: dir === undefined ? undefined : join(dir, logFileName(definition)),
      clock: this.#clock,
      compactMinBytes: this.#options.compactMinBytes ?? DEFAULT_COMPACT_MIN_BYTES,
    })
    return new ActiveStream(this, definition, streamArn, log)
  }

  #load(dir: string): void {
    mkdirSync(dir, { recursive: true })
    const state = readState(join(dir, STATE_FILE))
    for (const definition of state.streams) {
      const stream = this.#open(definition)
      this.#streams.set(definition.tableName, stream)
      const last = stream.log.lastSequenceNumber
      if (last !== undefined) this.#nextSequence = Math.max(this.#nextSequence, Number(last) + 1)
      this.#lastLabelTime = Math.max(this.#lastLabelTime, Date.parse(`${definition.label}Z`) || 0)
    }
    this.#nextSequence = Math.max(this.#nextSequence, state.sequenceCeiling)
    this.#sequenceCeiling = state.sequenceCeiling
    const kept = new Set(state.streams.map(logFileName))
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.tmp') || (file.endsWith('.jsonl') && !kept.has(file))) rmSync(join(dir, file))
    }
  }

  /** Rewrites `streams.json` whole, through a temporary file, so a crash leaves the old or the new one. */
  #save(): void {
    const { dir } = this.#options
    if (dir === undefined) return
    const state: SavedState = {
      version: 1,
      sequenceCeiling: this.#sequenceCeiling,
      streams: [...this.#streams.values()].map((stream) => stream.definition),
    }
    const path = join(dir, STATE_FILE)
    writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`)
    renameSync(`${path}.tmp`, path)
  }
}

/** `Images.20240501123456789.jsonl`: the label keeps a stream made anew from reading an old file. */
function logFileName(definition: StreamDefinition): string {
  return `${definition.tableName}.${definition.label.replace(/\D/g, '')}.jsonl`
}

function readState(path: string): SavedState {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { version: 1, sequenceCeiling: 0, streams: [] }
    throw error
  }
  let state: Partial<SavedState> | undefined
  try {
    state = JSON.parse(text) as Partial<SavedState>
  } catch {
    state = undefined
  }
  if (
    state?.version !== 1 ||
    typeof state.sequenceCeiling !== 'number' ||
    !Array.isArray(state.streams) ||
    !state.streams.every(isStreamDefinition)
  ) {
    throw new Error(`${path} is not a stream list this local cloud can read; delete the folder to start anew`)
  }
  return state as SavedState
}

function isStreamDefinition(value: unknown): value is StreamDefinition {
  if (typeof value !== 'object' || value === null) return false
  const { tableName, viewType, label, keyNames, tableId } = value as Record<string, unknown>
  return (
    typeof tableName === 'string' &&
    isViewType(viewType) &&
    typeof label === 'string' &&
    Array.isArray(keyNames) &&
    keyNames.every((name) => typeof name === 'string') &&
    (tableId === undefined || typeof tableId === 'string')
  )
}
