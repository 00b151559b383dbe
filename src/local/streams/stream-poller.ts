import { type DeliveryContext, deliverBatch } from './batch-delivery.ts'
import type { StreamRecord, StreamSource } from './stream-source.ts'

export interface StreamPollerOptions extends Omit<DeliveryContext, 'pause' | 'stopping'> {
  source: StreamSource
  /** The SequenceNumber of the last record the mapping is done with; undefined: none, read from the oldest. */
  after: string | undefined
  /** How often the stream is read when no append was signalled: a safety net, not the way records arrive. */
  pollIntervalMs: number
}

interface Batch {
  records: StreamRecord[]
  /** The last record read, which filtered-out records after the last delivered one may extend. */
  lastRead: string
}

/**
 * The poller of one event source mapping: it reads its table's stream after its checkpoint and hands
 * batches to `deliverBatch`, one at a time, so records reach the function in stream order. A batch
 * leaves when it has `batchSize` records, or when the batching window has passed since records were
 * first waiting (with no window, at once): "the next window begins as soon as the previous function
 * invocation completes" (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html).
 * It reads when told of an append (`notify`), and every `pollIntervalMs` besides.
 */
export class StreamPoller {
  readonly #options: StreamPollerOptions
  #after: string | undefined
  #running: Promise<void> | undefined
  #stopping = false
  /** Set by `notify`: the stream may have grown since the last read. */
  #dirty = false
  #wake: (() => void) | undefined
  #cancelPause: (() => void) | undefined
  #caughtUp: Array<() => void> = []

  constructor(options: StreamPollerOptions) {
    this.#options = options
    this.#after = options.after
  }

  start(): void {
    this.#running ??= this.#run()
  }

  /** Records were appended to the table's stream. */
  notify(): void {
    this.#dirty = true
    this.#wake?.()
  }

  /**
   * Resolves once the poller has read the stream, after this call, and found nothing left to deliver
   * (or has stopped): every record appended before it was delivered, filtered out or given up on.
   */
  caughtUp(): Promise<void> {
    if (this.#stopping) return Promise.resolve()
    const { promise, resolve } = Promise.withResolvers<void>()
    this.#caughtUp.push(resolve)
    this.notify()
    return promise
  }

  /** Stops reading; lets an invocation under way finish and checkpoint; cancels a waiting retry. */
  async stop(): Promise<void> {
    this.#stopping = true
    this.#wake?.()
    this.#cancelPause?.()
    await this.#running
    this.#releaseCaughtUp()
  }

  async #run(): Promise<void> {
    const { logger, mapping } = this.#options
    while (!this.#stopping) {
      try {
        const batch = await this.#nextBatch()
        if (batch === undefined) return
        const delivered = await deliverBatch(batch.records, {
          ...this.#options,
          acknowledge: (sequenceNumber) => this.#acknowledge(sequenceNumber),
          pause: (ms) => this.#pause(ms),
          stopping: () => this.#stopping,
        })
        if (delivered === 'interrupted') return
        await this.#acknowledge(batch.lastRead)
      } catch (error) {
        logger.error('the stream poller failed; it tries again', {
          functionName: mapping.functionName,
          table: mapping.tableName,
          error,
        })
        await this.#pause(this.#options.pollIntervalMs)
      }
    }
  }

  /** Waits for a batch to send; undefined when stopping. */
  async #nextBatch(): Promise<Batch | undefined> {
    const { mapping } = this.#options
    let window: { elapsed: boolean; timer: NodeJS.Timeout } | undefined
    try {
      while (!this.#stopping) {
        this.#dirty = false
        const batch = await this.#read()
        if (batch === undefined) {
          if (!this.#dirty) this.#releaseCaughtUp()
          await this.#sleep(this.#options.pollIntervalMs)
          continue
        }
        if (batch.records.length === 0) {
          // Only filtered-out records: done with, without an invocation.
          await this.#acknowledge(batch.lastRead)
          continue
        }
        if (batch.records.length >= mapping.batchSize || mapping.batchWindowSeconds === 0) return batch
        if (window === undefined) {
          const opened = {
            elapsed: false,
            timer: setTimeout(() => {
              opened.elapsed = true
              this.#wake?.()
            }, mapping.batchWindowSeconds * 1000),
          }
          window = opened
        }
        if (window.elapsed) return batch
        await this.#sleep(this.#options.pollIntervalMs)
      }
      return undefined
    } finally {
      if (window !== undefined) clearTimeout(window.timer)
    }
  }

  /**
   * Up to batchSize records that pass the mapping's filter, from the checkpoint on; undefined when
   * the stream holds nothing after it.
   */
  async #read(): Promise<Batch | undefined> {
    const { source, mapping } = this.#options
    const records: StreamRecord[] = []
    let lastRead: string | undefined
    for (;;) {
      const page = await source.read(mapping.tableName, lastRead ?? this.#after, mapping.batchSize)
      if (page.length === 0) break
      for (const record of page) {
        lastRead = record.dynamodb.SequenceNumber
        if (mapping.filter !== undefined && !mapping.filter(record)) continue
        records.push(record)
        if (records.length === mapping.batchSize) return { records, lastRead }
      }
    }
    return lastRead === undefined ? undefined : { records, lastRead }
  }

  async #acknowledge(sequenceNumber: string): Promise<void> {
    if (this.#after !== undefined && sequenceNumber <= this.#after) return
    this.#after = sequenceNumber
    await this.#options.acknowledge(sequenceNumber)
  }

  /** Waits for `notify`, the batching window, `stop` or `ms`, whichever comes first. */
  #sleep(ms: number): Promise<void> {
    if (this.#dirty || this.#stopping) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(() => wake(), ms)
      // The safety poll alone keeps no process alive.
      timer.unref()
      const wake = () => {
        clearTimeout(timer)
        this.#wake = undefined
        resolve()
      }
      this.#wake = wake
    })
  }

  /** Waits `ms` whatever is appended; false, at once, when stopping. */
  #pause(ms: number): Promise<boolean> {
    if (this.#stopping) return Promise.resolve(false)
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(true), ms)
      const done = (waited: boolean) => {
        clearTimeout(timer)
        this.#cancelPause = undefined
        resolve(waited)
      }
      this.#cancelPause = () => done(false)
    })
  }

  #releaseCaughtUp(): void {
    const waiting = this.#caughtUp
    this.#caughtUp = []
    for (const resolve of waiting) resolve()
  }
}
