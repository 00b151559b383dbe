/**
 * The contract between the local DynamoDB Streams capture (which records every successful write to a
 * table that declares a StreamSpecification) and the event source mappings that deliver those
 * records to functions.
 */

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'
export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE'

/** DynamoDB JSON (`{ "S": "x" }`, `{ "N": "1" }`...), as in real stream records. */
export type AttributeMap = Record<string, unknown>

/** One record, in the shape Lambda passes in `event.Records` for a `stream` event of type dynamodb. */
export interface StreamRecord {
  eventID: string
  eventName: StreamEventName
  eventVersion: '1.1'
  eventSource: 'aws:dynamodb'
  awsRegion: string
  dynamodb: {
    /** Epoch seconds. */
    ApproximateCreationDateTime: number
    Keys: AttributeMap
    NewImage?: AttributeMap
    OldImage?: AttributeMap
    /** Decimal digits, fixed width: increasing per table (so per partition key), comparable as strings. */
    SequenceNumber: string
    SizeBytes: number
    StreamViewType: StreamViewType
  }
  eventSourceARN: string
}

export interface TableStream {
  tableName: string
  /**
   * The same for as long as the stream lives (its label is the stream's creation time). The event
   * source mappings keep it with their checkpoints: a different ARN means a stream made anew, whose
   * sequence numbers are not comparable with the old one's, so they start over instead of resuming.
   */
  streamArn: string
  viewType: StreamViewType
}

/** Where the records of the local tables' streams are read from. */
export interface StreamSource {
  /** The tables that currently have a stream. */
  streams(): Promise<TableStream[]>
  /**
   * Records of that table's stream with a SequenceNumber greater than `after` (from the oldest kept
   * when undefined), oldest first, at most `limit`. None for a table without a stream.
   *
   * The local DynamoDB draws SequenceNumbers from one counter for all its tables, so they are never
   * reused: not after a restart on the same data folder, nor for a table deleted and made again.
   */
  read(tableName: string, after: string | undefined, limit: number): Promise<StreamRecord[]>
  /**
   * Called after records were appended to a table's stream. Returns a function that unsubscribes.
   * A hint to read, not a count: the local DynamoDB sends at most one call per table per turn of its
   * event loop, however many records that turn appended.
   */
  onAppend(listener: (tableName: string) => void): () => void
  /**
   * Every consumer is done with the records up to and including `upTo`: they may be dropped. Fire and
   * forget. Records older than 24 hours are dropped anyway, as DynamoDB Streams does.
   */
  trim(tableName: string, upTo: string): void
}
