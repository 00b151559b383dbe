import type { EventLogger } from '../events/event-logger.ts'
import type { DeadLetterStore } from '../lambda/async/dead-letter-store.ts'
import type { FunctionInvoker } from '../lambda/invocation.ts'
import type { ServiceDefinition } from '../serverless/service-definition.ts'
import { CheckpointStore } from './checkpoint-store.ts'
import { asStreamLogger, type StreamLogger, stderrStreamLogger } from './stream-logger.ts'
import { type StreamMapping, streamMappingsFrom } from './stream-mappings.ts'
import { StreamPoller } from './stream-poller.ts'
import type { StreamSource, TableStream } from './stream-source.ts'

export interface StreamEventSources {
  /**
   * Resolves once every mapping has read its stream after this call and found nothing left: what was
   * appended before it was delivered, filtered out or given up on. For tests; it waits out batching
   * windows and retries, so it never resolves while a batch is retried without end.
   */
  idle(): Promise<void>
  /**
   * Stops polling. An invocation under way finishes and is checkpointed; a batch waiting for its
   * retry stays after its checkpoint, to be delivered again after a restart.
   */
  stop(): Promise<void>
}

export interface StreamEventSourcesOptions {
  definition: Pick<ServiceDefinition, 'functions' | 'resources'>
  functions: FunctionInvoker
  source: StreamSource
  /** Where failed batches go: the store `npm run dlq` lists and replays (the asynchronous invoker's). */
  deadLetters: DeadLetterStore
  /** Checkpoints are kept in `<dataDir>/streams/checkpoints.json`; in memory when undefined. */
  dataDir: string | undefined
  logger?: EventLogger & { info?: StreamLogger['info'] }
  now?: () => Date
  /** Wait before retry n of a batch is `retryDelaysMs[n - 1]` (the last one past the end). */
  retryDelaysMs?: number[]
  /** How often streams are read when no append was signalled. */
  pollIntervalMs?: number
}

/** 0.5 s doubling to 10 s: failures show while you look, and a batch retried forever costs little. */
export const DEFAULT_STREAM_RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 10_000]
const DEFAULT_POLL_INTERVAL_MS = 5000
const PAGE = 1000

/**
 * Lambda's event source mappings for the `stream` events of type dynamodb in serverless.ts: one poller
 * per (function, table), delivering the table's stream records to the function in order, with
 * retries, bisection, partial batch responses, record filtering and an on-failure destination (the
 * dead-letter store), each resuming after its checkpoint.
 *
 * Throws, before anything starts, on a stream event the local cloud cannot honour or on a table with
 * no stream in `source`: call it once the tables exist. A mapping with no checkpoint yet (or one of a
 * stream since recreated) starts at its startingPosition: TRIM_HORIZON, the oldest record kept; LATEST,
 * the records appended after this call. That position is saved at once, so a restart does not move it.
 * A mapping with `enabled: false` is not polled and does not hold back trimming.
 */
export async function startStreamEventSources(
  options: StreamEventSourcesOptions,
): Promise<StreamEventSources> {
  const mappings = streamMappingsFrom(options.definition).filter((mapping) => mapping.enabled)
  const retryDelaysMs = options.retryDelaysMs ?? DEFAULT_STREAM_RETRY_DELAYS_MS
  if (retryDelaysMs.length === 0 || retryDelaysMs.some((ms) => !(ms >= 0))) {
    throw new Error('startStreamEventSources: retryDelaysMs must list one or more delays of 0 ms or more')
  }
  if (mappings.length === 0) return { idle: async () => undefined, stop: async () => undefined }
  const { source } = options
  const logger = options.logger === undefined ? stderrStreamLogger() : asStreamLogger(options.logger)
  const streams = new Map((await source.streams()).map((stream) => [stream.tableName, stream]))
  for (const mapping of mappings) {
    if (!streams.has(mapping.tableName)) {
      throw new Error(
        `serverless.ts: function ${mapping.functionName} reads the stream of table ${mapping.tableName}, which has none in the local DynamoDB`,
      )
    }
  }
  const checkpoints = await CheckpointStore.open(options.dataDir)
  const trimmer = new Trimmer(mappings, checkpoints, source, logger)

  const pollers = new Map<string, StreamPoller[]>()
  for (const mapping of mappings) {
    const stream = streams.get(mapping.tableName) as TableStream
    const poller = new StreamPoller({
      mapping,
      source,
      after: (await startOf(mapping, stream, checkpoints, source, logger)) ?? undefined,
      functions: options.functions,
      deadLetters: options.deadLetters,
      logger,
      now: options.now ?? (() => new Date()),
      retryDelaysMs,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      acknowledge: async (sequenceNumber) => {
        try {
          await checkpoints.set(mapping.id, { streamArn: stream.streamArn, after: sequenceNumber })
        } catch (error) {
          // The position moves on in memory: a restart before the next save delivers these again.
          logger.error('could not save a stream checkpoint', { mapping: mapping.id, sequenceNumber, error })
          return
        }
        trimmer.trim(mapping.tableName)
      },
    })
    pollers.set(mapping.tableName, [...(pollers.get(mapping.tableName) ?? []), poller])
  }
  for (const tableName of pollers.keys()) trimmer.trim(tableName)
  const unsubscribe = source.onAppend((tableName) => {
    for (const poller of pollers.get(tableName) ?? []) poller.notify()
  })
  const all = [...pollers.values()].flat()
  for (const poller of all) poller.start()

  let stopping: Promise<void> | undefined
  return {
    idle: async () => {
      await Promise.all(all.map((poller) => poller.caughtUp()))
    },
    stop: () => {
      stopping ??= (async () => {
        unsubscribe()
        await Promise.all(all.map((poller) => poller.stop()))
        await checkpoints.flushed()
      })()
      return stopping
    },
  }
}

/** Where a mapping resumes: after its checkpoint, or at its starting position, saved at once. */
async function startOf(
  mapping: StreamMapping,
  stream: TableStream,
  checkpoints: CheckpointStore,
  source: StreamSource,
  logger: StreamLogger,
): Promise<string | null> {
  const saved = checkpoints.get(mapping.id)
  if (saved?.streamArn === stream.streamArn) return saved.after
  if (saved !== undefined) {
    logger.warn('the checkpoint is of a stream since recreated; starting over', {
      mapping: mapping.id,
      checkpointStream: saved.streamArn,
      stream: stream.streamArn,
      startingPosition: mapping.startingPosition,
    })
  }
  const after =
    mapping.startingPosition === 'LATEST' ? await lastSequenceNumber(source, mapping.tableName) : null
  await checkpoints.set(mapping.id, { streamArn: stream.streamArn, after })
  return after
}

/** The SequenceNumber of the newest record of a table's stream; null when it holds none. */
async function lastSequenceNumber(source: StreamSource, tableName: string): Promise<string | null> {
  let last: string | null = null
  for (;;) {
    const page = await source.read(tableName, last ?? undefined, PAGE)
    const newest = page.at(-1)
    if (newest === undefined) return last
    last = newest.dynamodb.SequenceNumber
  }
}

/**
 * Drops the records every mapping of a table is done with: up to the lowest of their checkpoints,
 * once saved, so a restart never resumes before a record that is gone.
 */
class Trimmer {
  readonly #tables = new Map<string, string[]>()
  readonly #trimmed = new Map<string, string>()
  readonly #checkpoints: CheckpointStore
  readonly #source: StreamSource
  readonly #logger: StreamLogger

  constructor(
    mappings: StreamMapping[],
    checkpoints: CheckpointStore,
    source: StreamSource,
    logger: StreamLogger,
  ) {
    for (const mapping of mappings) {
      this.#tables.set(mapping.tableName, [...(this.#tables.get(mapping.tableName) ?? []), mapping.id])
    }
    this.#checkpoints = checkpoints
    this.#source = source
    this.#logger = logger
  }

  trim(tableName: string): void {
    let upTo: string | undefined
    for (const id of this.#tables.get(tableName) ?? []) {
      const after = this.#checkpoints.saved(id)?.after
      if (after === undefined || after === null) return
      if (upTo === undefined || after < upTo) upTo = after
    }
    const trimmed = this.#trimmed.get(tableName)
    if (upTo === undefined || (trimmed !== undefined && upTo <= trimmed)) return
    this.#trimmed.set(tableName, upTo)
    try {
      this.#source.trim(tableName, upTo)
    } catch (error) {
      this.#logger.error('could not trim a stream', { table: tableName, upTo, error })
    }
  }
}
