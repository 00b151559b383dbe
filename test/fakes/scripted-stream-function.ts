import type { FunctionInvoker, InvocationOutcome } from '#local/lambda/invocation.ts'
import type { StreamRecord } from '#local/streams/stream-source.ts'

export interface StreamInvocation {
  functionName: string
  records: StreamRecord[]
}

type Script = (call: StreamInvocation, attempt: number) => InvocationOutcome | Promise<InvocationOutcome>

/**
 * A `FunctionInvoker` for stream events: answers each invocation from a script (given the records and
 * the attempt number of that function, from 1) and keeps every call. Answers `{ kind: 'ok' }` by default.
 */
export class ScriptedStreamFunction implements FunctionInvoker {
  readonly calls: StreamInvocation[] = []
  script: Script
  readonly #waiting: Array<{ count: number; resolve: () => void }> = []

  constructor(script: Script = () => ({ kind: 'ok', value: null })) {
    this.script = script
  }

  async invoke(functionName: string, event: unknown): Promise<InvocationOutcome> {
    const records = (event as { Records: StreamRecord[] }).Records
    const call = { functionName, records }
    this.calls.push(call)
    for (const waiter of [...this.#waiting]) {
      if (this.calls.length < waiter.count) continue
      this.#waiting.splice(this.#waiting.indexOf(waiter), 1)
      waiter.resolve()
    }
    const attempt = this.calls.filter((other) => other.functionName === functionName).length
    return this.script(call, attempt)
  }

  /** The SequenceNumbers of each call to a function (of every call when none is named). */
  batches(functionName?: string): string[][] {
    return this.calls
      .filter((call) => functionName === undefined || call.functionName === functionName)
      .map((call) => call.records.map((record) => record.dynamodb.SequenceNumber))
  }

  /** Resolves once `count` invocations in all have started. */
  called(count: number): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve()
    const { promise, resolve } = Promise.withResolvers<void>()
    this.#waiting.push({ count, resolve })
    return promise
  }
}

/** An invocation a test lets finish when it wants to. */
export function aHeldOutcome(outcome: InvocationOutcome = { kind: 'ok', value: null }) {
  const { promise, resolve } = Promise.withResolvers<InvocationOutcome>()
  return { outcome: promise, release: () => resolve(outcome) }
}

export const aFunctionError: InvocationOutcome = {
  kind: 'error',
  errorType: 'IndexingError',
  errorMessage: 'the search index refused the batch',
}

/** What a handler with ReportBatchItemFailures returns for these failed records. */
export function batchItemFailures(...sequenceNumbers: string[]): InvocationOutcome {
  return {
    kind: 'ok',
    value: { batchItemFailures: sequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) },
  }
}
