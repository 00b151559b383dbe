import type {
  AttributeMap,
  StreamEventName,
  StreamRecord,
  StreamSource,
  TableStream,
} from '#local/streams/stream-source.ts'

export interface ItemChange {
  eventName?: StreamEventName
  keys: AttributeMap
  newImage?: AttributeMap
  oldImage?: AttributeMap
}

interface Stream {
  stream: TableStream
  records: StreamRecord[]
  /** The last sequence number handed out. */
  sequence: number
}

/**
 * A `StreamSource` in memory: tests append records to a table's stream by hand, and see what the
 * consumers read and trimmed. Sequence numbers are 21 digits wide and increase within a stream, from
 * 000000000000000000101; creation times come from `now`, which tests may move.
 */
export class MemoryStreamSource implements StreamSource {
  readonly trims: Array<{ tableName: string; upTo: string }> = []
  now: () => Date
  readonly #streams = new Map<string, Stream>()
  readonly #listeners = new Set<(tableName: string) => void>()

  constructor(tableNames: string[], options: { now?: () => Date; label?: string } = {}) {
    this.now = options.now ?? (() => new Date())
    for (const tableName of tableNames) this.recreate(tableName, options.label)
  }

  /**
   * Gives the table a new stream (a new label, no records), as disabling and enabling it would; its
   * sequence numbers start over, so they are not comparable with the old stream's.
   */
  recreate(tableName: string, label = '2026-11-25T10:00:00.000'): void {
    const streamArn = `arn:aws:dynamodb:us-east-1:000000000000:table/${tableName}/stream/${label}`
    this.#streams.set(tableName, {
      stream: { tableName, streamArn, viewType: 'NEW_AND_OLD_IMAGES' },
      records: [],
      sequence: 100,
    })
  }

  /** Appends a record and tells the listeners, unless `silently` (a missed notification). */
  append(tableName: string, change: ItemChange, options: { silently?: boolean } = {}): StreamRecord {
    const entry = this.#entry(tableName)
    entry.sequence += 1
    const record: StreamRecord = {
      eventID: `event-${entry.sequence}`,
      eventName: change.eventName ?? 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(this.now().getTime() / 1000),
        Keys: change.keys,
        ...(change.newImage === undefined ? {} : { NewImage: change.newImage }),
        ...(change.oldImage === undefined ? {} : { OldImage: change.oldImage }),
        SequenceNumber: String(entry.sequence).padStart(21, '0'),
        SizeBytes: JSON.stringify(change).length,
        StreamViewType: entry.stream.viewType,
      },
      eventSourceARN: entry.stream.streamArn,
    }
    entry.records.push(record)
    if (!options.silently) for (const listener of this.#listeners) listener(tableName)
    return structuredClone(record)
  }

  /** The records still kept (not trimmed) for a table. */
  kept(tableName: string): StreamRecord[] {
    return structuredClone(this.#entry(tableName).records)
  }

  async streams(): Promise<TableStream[]> {
    return [...this.#streams.values()].map(({ stream }) => ({ ...stream }))
  }

  async read(tableName: string, after: string | undefined, limit: number): Promise<StreamRecord[]> {
    const records = this.#entry(tableName).records.filter(
      (record) => after === undefined || record.dynamodb.SequenceNumber > after,
    )
    return structuredClone(records.slice(0, limit))
  }

  onAppend(listener: (tableName: string) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  trim(tableName: string, upTo: string): void {
    this.trims.push({ tableName, upTo })
    const entry = this.#entry(tableName)
    entry.records = entry.records.filter((record) => record.dynamodb.SequenceNumber > upTo)
  }

  get listenerCount(): number {
    return this.#listeners.size
  }

  #entry(tableName: string): Stream {
    const entry = this.#streams.get(tableName)
    if (entry === undefined) throw new Error(`no stream for table ${tableName}`)
    return entry
  }
}
