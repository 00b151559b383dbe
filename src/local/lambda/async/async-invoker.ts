import { randomUUID } from 'node:crypto'
import { type EventLogger, stderrEventLogger } from '../../events/event-logger.ts'
import type { LocalFunctionDefinition } from '../../serverless/service-definition.ts'
import type { FunctionInvoker, InvocationOutcome } from '../invocation.ts'
import { type AsyncFunctionConfig, DEFAULT_ASYNC_CONFIG } from './async-config.ts'
import {
  type DeadLetter,
  type DeadLetterCondition,
  type DeadLetterError,
  type DeadLetterStore,
  deadLetterErrorOf,
} from './dead-letter-store.ts'

/** What event sources that invoke functions asynchronously (SNS, S3, EventBridge) depend on. */
export interface AsyncEventInvoker {
  /** Accepts the event (Lambda's 202) and runs it in the background, with retries. */
  invokeAsync(functionName: string, event: unknown, options: { source: string }): { eventId: string }
}

export type AsyncInvocationErrorCode = 'FunctionNotFound' | 'Stopping'

export class AsyncInvocationError extends Error {
  readonly code: AsyncInvocationErrorCode

  constructor(code: AsyncInvocationErrorCode, message: string) {
    super(message)
    this.name = 'AsyncInvocationError'
    this.code = code
  }
}

/**
 * A `FunctionInvoker` that may also take the request id (as `LocalLambda` does): Lambda keeps one
 * request id, the one its 202 answer carried, across the retries of an asynchronous event, so
 * handlers can key idempotency on `context.awsRequestId`.
 */
export type RetryingInvoker = FunctionInvoker & {
  invoke(functionName: string, event: unknown, requestId?: string): Promise<InvocationOutcome>
}

export interface AsyncInvokerOptions {
  invoker: RetryingInvoker
  functions: Map<string, LocalFunctionDefinition>
  deadLetters: DeadLetterStore
  /** Per function, from `asyncConfigsFrom(definition.config.functions)`; Lambda's defaults otherwise. */
  asyncConfig?: Map<string, AsyncFunctionConfig>
  /**
   * Wait before retry n is `retryDelaysMs[n - 1]` (the last one past the end). Lambda waits about one
   * minute, then two; locally one second, then two, so failures show up while you look.
   */
  retryDelaysMs?: number[]
  now?: () => Date
  logger?: EventLogger
}

const DEFAULT_RETRY_DELAYS_MS = [1000, 2000]

interface PendingEvent {
  id: string
  functionName: string
  source: string
  event: unknown
  receivedAt: Date
  firstAttemptAt: Date | undefined
  attempts: number
  lastError: DeadLetterError
}

/**
 * Lambda's asynchronous invocation: each event is accepted at once, then tried, retried after a
 * failure (any outcome but ok) up to the function's `maximumRetryAttempts` while younger than its
 * `maximumEventAge`, and kept in the dead-letter store when given up on. Events run independently and
 * concurrently; one waiting for its retry holds up no other.
 */
export class AsyncInvoker implements AsyncEventInvoker {
  readonly #options: AsyncInvokerOptions
  readonly #retryDelaysMs: number[]
  readonly #now: () => Date
  readonly #logger: EventLogger
  readonly #running = new Set<Promise<void>>()
  /** Events waiting for a retry: calling one wakes it early, with false when the invoker stops. */
  readonly #waiting = new Map<string, (resumed: boolean) => void>()
  readonly #replaying = new Set<string>()
  #stopping: Promise<void> | undefined

  constructor(options: AsyncInvokerOptions) {
    this.#options = options
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
    if (this.#retryDelaysMs.length === 0 || this.#retryDelaysMs.some((ms) => !(ms >= 0))) {
      throw new Error('AsyncInvoker: retryDelaysMs must list one or more delays of 0 ms or more')
    }
    this.#now = options.now ?? (() => new Date())
    this.#logger = options.logger ?? stderrEventLogger('local-lambda-async')
  }

  /**
   * Throws `FunctionNotFound` for a function serverless.ts does not define, as Lambda refuses the
   * call. Once `stop` has begun, the event is accepted but goes straight to the dead-letter store.
   */
  invokeAsync(functionName: string, event: unknown, options: { source: string }): { eventId: string } {
    if (!this.#options.functions.has(functionName)) {
      throw new AsyncInvocationError('FunctionNotFound', `no function named ${functionName} in serverless.ts`)
    }
    const receivedAt = this.#now()
    const pending: PendingEvent = {
      id: randomUUID(),
      functionName,
      source: options.source,
      event,
      receivedAt,
      firstAttemptAt: undefined,
      attempts: 0,
      lastError: { kind: 'not-invoked', message: 'the local cloud stopped before invoking the function' },
    }
    this.#track(this.#stopping === undefined ? this.#run(pending) : this.#deadLetter(pending, 'Interrupted'))
    return { eventId: pending.id }
  }

  /**
   * Submits a dead letter's event again, as a new event with fresh attempts, and removes the entry
   * once the new event is accepted. Undefined when there is no such entry (or it is being replayed).
   */
  async replay(id: string): Promise<{ eventId: string } | undefined> {
    if (this.#stopping !== undefined)
      throw new AsyncInvocationError('Stopping', 'the local cloud is stopping')
    if (this.#replaying.has(id)) return undefined
    this.#replaying.add(id)
    try {
      const entry = await this.#options.deadLetters.get(id)
      if (entry === undefined) return undefined
      const accepted = this.invokeAsync(entry.functionName, entry.event, { source: entry.source })
      await this.#options.deadLetters.remove(id)
      return accepted
    } finally {
      this.#replaying.delete(id)
    }
  }

  /** Resolves once no event is being tried or waiting for a retry. */
  async whenIdle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running])
  }

  /**
   * Lets attempts in flight finish, and dead-letters (as `Interrupted`) the events waiting for a
   * retry and those failing from now on, so a restart loses none: `npm run dlq -- replay` resumes them.
   * Call it before stopping the Lambda service the attempts run on.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const wake of this.#waiting.values()) wake(false)
      await this.whenIdle()
    })()
    return this.#stopping
  }

  #track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) =>
      this.#logger.error('asynchronous invocation failed', { error }),
    )
    this.#running.add(tracked)
    void tracked.finally(() => this.#running.delete(tracked))
  }

  async #run(pending: PendingEvent): Promise<void> {
    const config = this.#options.asyncConfig?.get(pending.functionName) ?? DEFAULT_ASYNC_CONFIG
    const maxAgeMs = config.maximumEventAgeSeconds * 1000
    for (;;) {
      pending.firstAttemptAt ??= this.#now()
      const outcome = await this.#attempt(pending)
      pending.attempts += 1
      if (outcome.kind === 'ok') return
      pending.lastError = deadLetterErrorOf(outcome)
      if (pending.attempts > config.maximumRetryAttempts) return this.#deadLetter(pending, 'RetriesExhausted')
      if (this.#stopping !== undefined) return this.#deadLetter(pending, 'Interrupted')
      const delayMs = this.#retryDelaysMs[Math.min(pending.attempts, this.#retryDelaysMs.length) - 1] ?? 0
      // An event that will be too old by its retry is given up on now rather than after the wait.
      if (this.#ageMs(pending) + delayMs > maxAgeMs) return this.#deadLetter(pending, 'EventAgeExceeded')
      if (!(await this.#wait(pending.id, delayMs))) return this.#deadLetter(pending, 'Interrupted')
      if (this.#ageMs(pending) > maxAgeMs) return this.#deadLetter(pending, 'EventAgeExceeded')
    }
  }

  async #attempt(pending: PendingEvent): Promise<InvocationOutcome> {
    try {
      return await this.#options.invoker.invoke(pending.functionName, pending.event, pending.id)
    } catch (error) {
      return { kind: 'crash', errorMessage: error instanceof Error ? error.message : String(error) }
    }
  }

  #wait(id: string, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => wake(true), ms)
      const wake = (resumed: boolean) => {
        clearTimeout(timer)
        this.#waiting.delete(id)
        resolve(resumed)
      }
      this.#waiting.set(id, wake)
    })
  }

  #ageMs(pending: PendingEvent): number {
    return this.#now().getTime() - pending.receivedAt.getTime()
  }

  async #deadLetter(pending: PendingEvent, condition: DeadLetterCondition): Promise<void> {
    const config = this.#options.asyncConfig?.get(pending.functionName) ?? DEFAULT_ASYNC_CONFIG
    const entry: DeadLetter = {
      id: pending.id,
      functionName: pending.functionName,
      source: pending.source,
      event: pending.event,
      attempts: pending.attempts,
      firstAttemptAt: (pending.firstAttemptAt ?? pending.receivedAt).toISOString(),
      failedAt: this.#now().toISOString(),
      condition,
      lastError: pending.lastError,
      ...(config.failureDestination === undefined ? {} : { destination: config.failureDestination }),
    }
    const context = {
      eventId: entry.id,
      functionName: entry.functionName,
      source: entry.source,
      attempts: entry.attempts,
      condition,
    }
    try {
      await this.#options.deadLetters.add(entry)
    } catch (error) {
      this.#logger.error('could not keep a failed event in the dead-letter store; it is lost', {
        ...context,
        error,
      })
      return
    }
    this.#logger.warn(`event dead-lettered (${condition}): npm run dlq -- list`, {
      ...context,
      lastError: entry.lastError,
    })
  }
}
