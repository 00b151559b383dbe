import type { InvocationOutcome } from '../lambda/invocation.ts'
import type { Trigger } from './trigger-of.ts'

/**
 * What ties an invocation to its retries: for asynchronous events the request id, which Lambda keeps
 * across retries; for stream batches the function and the first record, since a retry starts from it.
 * Undefined for invocations that are not retried (HTTP, WebSocket).
 */
export function retryKeyOf(
  functionName: string,
  trigger: Trigger,
  requestId: string,
  event: unknown,
): string | undefined {
  if (trigger === 'stream') {
    const records = (event as { Records?: Array<{ dynamodb?: { SequenceNumber?: string } }> }).Records
    const first = records?.[0]?.dynamodb?.SequenceNumber
    return first === undefined ? undefined : `${functionName} stream ${first}`
  }
  // Lambda keeps an asynchronous event's request id across its retries (see async-invoker.ts).
  if (trigger === 's3->sns' || trigger === 'sns' || trigger === 'schedule')
    return `${functionName} ${requestId}`
  return undefined
}

/** The first `batchItemFailures[].itemIdentifier` a stream function answered, if any. */
export function firstBatchItemFailure(outcome: InvocationOutcome): string | undefined {
  if (outcome.kind !== 'ok' || outcome.value === null || typeof outcome.value !== 'object') return undefined
  const failures = (outcome.value as { batchItemFailures?: Array<{ itemIdentifier?: unknown }> })
    .batchItemFailures
  const first = Array.isArray(failures) ? failures[0]?.itemIdentifier : undefined
  return typeof first === 'string' ? first : undefined
}
