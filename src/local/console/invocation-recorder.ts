import type { DeadLetter } from '../lambda/async/dead-letter-store.ts'
import type {
  ClientCallSpan,
  InvocationObserver,
  InvocationOutcome,
  ObservedInvocation,
} from '../lambda/invocation.ts'
import type { ObjectCreatedEvent } from '../s3/local-s3.ts'
import { type MetricTotal, MetricTotals } from './metric-totals.ts'
import { redact, redactText } from './redact.ts'
import { firstBatchItemFailure, retryKeyOf } from './retry-keys.ts'
import { RingBuffer } from './ring-buffer.ts'
import { type Trigger, triggerOf } from './trigger-of.ts'

/** The caps that bound the recorder's memory (the workers cut each invocation's log text first). */
export interface RecorderCaps {
  /** Invocations kept; the oldest goes first. */
  invocations: number
  /** Bytes of log text kept per invocation. */
  logBytes: number
  /** Characters of the request and of the response kept per invocation, once serialized. */
  payloadChars: number
  /** S3 ObjectCreated events kept, for the PUT spans of traces. */
  objectEvents: number
}

export const DEFAULT_RECORDER_CAPS: RecorderCaps = {
  invocations: 500,
  logBytes: 32 * 1024,
  payloadChars: 16 * 1024,
  objectEvents: 500,
}

export type InvocationStatus = 'ok' | 'error' | 'timeout' | 'crash'
/** What became of a failed asynchronous or stream invocation afterwards. */
export type Disposition = 'retried' | 'dead-lettered'

export interface InvocationSummary {
  id: string
  functionName: string
  trigger: Trigger
  requestId: string
  startedAt: string
  durationMs: number
  outcome: InvocationStatus
  disposition?: Disposition
  errorMessage?: string
  cold: boolean
  correlationIds: string[]
}

export interface InvocationDetail extends InvocationSummary {
  /** The invocation's log lines, JSON lines parsed (so shown pretty-printed), redacted. */
  logs: unknown[]
  logsTruncated: boolean
  request: unknown
  response: unknown
  calls: ClientCallSpan[]
}

export interface RecordedObject {
  bucket: string
  key: string
  size: number
  startedAt: number
}

interface Entry {
  seq: number
  functionName: string
  trigger: Trigger
  requestId: string
  startedAt: number
  durationMs: number
  outcome: InvocationStatus
  /** Not ok, or a batch that reported failed records. */
  failed: boolean
  errorMessage: string | undefined
  disposition: Disposition | undefined
  cold: boolean
  retryKey: string | undefined
  /** The retry key of a partial batch failure's retry. */
  failedFromKey: string | undefined
  calls: ClientCallSpan[]
  logs: string
  logsTruncated: boolean
  /** Until compacted (off the request path): the event and the outcome as they came. */
  raw: { event: unknown; outcome: InvocationOutcome } | undefined
  request: string
  response: string
  correlationIds: string[]
  imageIds: string[]
}

export interface InvocationFilter {
  functionName?: string
  /** An outcome (ok, error, timeout, crash) or a disposition (retried, dead-lettered). */
  outcome?: string
  correlationId?: string
}

/**
 * The operator console's memory of the local cloud: the last invocations (with their logs, SDK calls
 * and redacted request and response), the S3 PUTs, and the metrics emitted. `invoked` runs on the
 * caller's path, so it only pushes into ring buffers; serializing, redacting and parsing logs happen
 * in a later turn of the event loop (or when the console asks, whichever comes first).
 */
export class InvocationRecorder implements InvocationObserver {
  readonly caps: RecorderCaps
  readonly #entries: RingBuffer<Entry>
  readonly #objects: RingBuffer<RecordedObject>
  /** The latest invocation per retry key (async event id, or stream function + first record). */
  readonly #byRetryKey = new Map<string, Entry>()
  readonly #uncompacted: Entry[] = []
  readonly #metrics = new MetricTotals()
  #nextSeq = 1
  #compactScheduled = false

  constructor(caps: Partial<RecorderCaps> = {}) {
    this.caps = { ...DEFAULT_RECORDER_CAPS, ...caps }
    this.#entries = new RingBuffer(this.caps.invocations, (evicted) => {
      if (evicted.retryKey === undefined) return
      if (this.#byRetryKey.get(evicted.retryKey) === evicted) this.#byRetryKey.delete(evicted.retryKey)
      const failedFrom = evicted.failedFromKey
      if (failedFrom !== undefined && this.#byRetryKey.get(failedFrom) === evicted)
        this.#byRetryKey.delete(failedFrom)
    })
    this.#objects = new RingBuffer(this.caps.objectEvents)
  }

  invoked(invocation: ObservedInvocation): void {
    const { outcome, capture } = invocation
    const trigger = triggerOf(invocation.event)
    const logs = capture?.logs ?? ''
    const entry: Entry = {
      seq: this.#nextSeq++,
      functionName: invocation.functionName,
      trigger,
      requestId: invocation.requestId,
      startedAt: invocation.startedAt,
      durationMs: invocation.durationMs,
      outcome: outcome.kind,
      failed: outcome.kind !== 'ok',
      errorMessage: outcome.kind === 'error' || outcome.kind === 'crash' ? outcome.errorMessage : undefined,
      disposition: undefined,
      cold: invocation.cold,
      retryKey: retryKeyOf(invocation.functionName, trigger, invocation.requestId, invocation.event),
      failedFromKey: undefined,
      calls: capture?.calls ?? [],
      logs: logs.length > this.caps.logBytes ? logs.slice(0, this.caps.logBytes) : logs,
      logsTruncated: (capture?.logsTruncated ?? false) || logs.length > this.caps.logBytes,
      raw: { event: invocation.event, outcome },
      request: '',
      response: '',
      correlationIds: [],
      imageIds: [],
    }
    if (entry.retryKey !== undefined) {
      const previous = this.#byRetryKey.get(entry.retryKey)
      if (previous?.failed) previous.disposition ??= 'retried'
      this.#byRetryKey.set(entry.retryKey, entry)
      // A partial batch failure is retried from its first failed record: that is the next key.
      const failedFrom = firstBatchItemFailure(outcome)
      if (failedFrom !== undefined) {
        entry.failed = true
        entry.failedFromKey = `${entry.functionName} stream ${failedFrom}`
        this.#byRetryKey.set(entry.failedFromKey, entry)
      }
    }
    this.#entries.push(entry)
    this.#uncompacted.push(entry)
    if (!this.#compactScheduled) {
      this.#compactScheduled = true
      setImmediate(() => this.#compact())
    }
  }

  /** A dead letter was kept: marks the invocation that failed last for it. */
  deadLettered(letter: Pick<DeadLetter, 'id' | 'functionName' | 'source' | 'event'>): void {
    const trigger: Trigger = letter.source === 'dynamodb' ? 'stream' : 'sns'
    const key = retryKeyOf(letter.functionName, trigger, letter.id, letter.event)
    const entry = key === undefined ? undefined : this.#byRetryKey.get(key)
    if (entry !== undefined) entry.disposition = 'dead-lettered'
  }

  objectCreated(event: Pick<ObjectCreatedEvent, 'bucket' | 'key' | 'size' | 'eventTime'>): void {
    this.#objects.push({
      bucket: event.bucket,
      key: event.key,
      size: event.size,
      startedAt: Date.parse(event.eventTime),
    })
  }

  /** Newest first. */
  list(filter: InvocationFilter = {}, limit = 200): InvocationSummary[] {
    this.#compact()
    const found: InvocationSummary[] = []
    for (const entry of this.#entries.newestFirst()) {
      if (filter.functionName && entry.functionName !== filter.functionName) continue
      if (filter.outcome && entry.outcome !== filter.outcome && entry.disposition !== filter.outcome) continue
      if (filter.correlationId && !entry.correlationIds.includes(filter.correlationId)) continue
      found.push(summaryOf(entry))
      if (found.length >= limit) break
    }
    return found
  }

  get(id: string): InvocationDetail | undefined {
    this.#compact()
    const entry = this.#find(id)
    if (entry === undefined) return undefined
    return {
      ...summaryOf(entry),
      logs: logLinesOf(entry.logs),
      logsTruncated: entry.logsTruncated,
      request: this.#shown(entry.request),
      response: this.#shown(entry.response),
      calls: entry.calls,
    }
  }

  /** The invocations that logged `correlationId`, oldest first, with the image ids they named. */
  correlated(
    correlationId: string,
  ): Array<InvocationSummary & { calls: ClientCallSpan[]; imageIds: string[] }> {
    this.#compact()
    return [...this.#entries.newestFirst()]
      .filter((entry) => entry.correlationIds.includes(correlationId))
      .reverse()
      .map((entry) => ({ ...summaryOf(entry), calls: entry.calls, imageIds: entry.imageIds }))
  }

  objects(): RecordedObject[] {
    return [...this.#objects.newestFirst()].reverse()
  }

  metrics(): MetricTotal[] {
    this.#compact()
    return this.#metrics.totals()
  }

  #find(id: string): Entry | undefined {
    const seq = Number(id)
    for (const entry of this.#entries.newestFirst()) if (entry.seq === seq) return entry
    return undefined
  }

  #compact(): void {
    this.#compactScheduled = false
    for (const entry of this.#uncompacted.splice(0)) {
      const raw = entry.raw
      if (raw === undefined) continue
      entry.raw = undefined
      // Native JSON.stringify only: redacting walks every string, so it waits until the console asks.
      entry.request = this.#serialize(raw.event)
      entry.response = raw.outcome.kind === 'ok' ? this.#serialize(raw.outcome.value) : ''
      entry.correlationIds = valuesOf(entry.logs, CORRELATION_ID)
      entry.imageIds = valuesOf(entry.logs, IMAGE_ID)
      if (!entry.logs.includes('"_aws":')) continue
      for (const line of entry.logs.split('\n')) {
        if (!line.includes('"_aws":')) continue
        const parsed = parseJson(line)
        if (parsed?._aws !== undefined) this.#metrics.add(parsed)
      }
    }
  }

  /** JSON text, cut at the cap (then no longer JSON: shown as redacted text). */
  #serialize(value: unknown): string {
    if (value === undefined) return ''
    let text: string
    try {
      text = JSON.stringify(value) ?? ''
    } catch {
      return JSON.stringify('[not serializable]')
    }
    return text.length <= this.caps.payloadChars ? text : `${CUT}${text.slice(0, this.caps.payloadChars)}`
  }

  #shown(text: string): unknown {
    if (text === '') return null
    if (text.startsWith(CUT)) {
      return `${redactText(text.slice(CUT.length))}… [cut at ${this.caps.payloadChars} characters]`
    }
    return redact(JSON.parse(text) as unknown)
  }
}

/** Marks a payload cut at the cap; JSON text never starts with it. */
const CUT = '\u0000cut\u0000'
const CORRELATION_ID = /"correlation_id":"([^"\\]{1,200})"/g
const IMAGE_ID = /"imageId":"([^"\\]{1,200})"/g

function valuesOf(logs: string, pattern: RegExp): string[] {
  if (logs === '') return []
  return [...new Set(Array.from(logs.matchAll(pattern), (match) => match[1] ?? ''))]
}

function summaryOf(entry: Entry): InvocationSummary {
  return {
    id: String(entry.seq),
    functionName: entry.functionName,
    trigger: entry.trigger,
    requestId: entry.requestId,
    startedAt: new Date(entry.startedAt).toISOString(),
    durationMs: entry.durationMs,
    outcome: entry.outcome,
    ...(entry.disposition !== undefined && { disposition: entry.disposition }),
    ...(entry.errorMessage !== undefined && { errorMessage: redactText(entry.errorMessage) }),
    cold: entry.cold,
    correlationIds: entry.correlationIds,
  }
}

function logLinesOf(logs: string): unknown[] {
  return logs
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const parsed = line.startsWith('{') ? parseJson(line) : undefined
      return parsed === undefined ? redactText(line) : redact(parsed)
    })
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line)
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
