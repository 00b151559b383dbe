import { type DeadLetterError, deadLetterErrorOf } from '../lambda/async/dead-letter-store.ts'
import type { InvocationOutcome } from '../lambda/invocation.ts'
import type { StreamRecord } from './stream-source.ts'

/** What one invocation with a batch of stream records means for the records. */
export type BatchVerdict =
  | { kind: 'success' }
  /** Records before `failedFrom` (an index into the batch) are done; it and the later ones are retried. */
  | { kind: 'partial'; failedFrom: number; error: DeadLetterError }
  /** The whole batch failed: an error, a timeout, a crash, or a malformed batchItemFailures response. */
  | { kind: 'failure'; error: DeadLetterError }

/**
 * Reads an invocation's outcome the way Lambda reads it for a stream
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html):
 * - any outcome but ok fails the whole batch;
 * - without ReportBatchItemFailures, an ok outcome is a success whatever the function returned;
 * - with it, `{ batchItemFailures: [{ itemIdentifier: <SequenceNumber> }] }` checkpoints before the
 *   lowest sequence number reported and retries from there; an empty or null list, an empty or null
 *   response, is a success; an empty, null or unknown itemIdentifier (one that is no SequenceNumber
 *   of the batch), or any other shape, is "treated as a complete failure".
 */
export function verdictOf(
  outcome: InvocationOutcome,
  records: readonly StreamRecord[],
  reportBatchItemFailures: boolean,
): BatchVerdict {
  if (outcome.kind !== 'ok') return { kind: 'failure', error: deadLetterErrorOf(outcome) }
  if (!reportBatchItemFailures) return { kind: 'success' }
  const response = outcome.value
  if (response === null || response === undefined) return { kind: 'success' }
  if (typeof response !== 'object' || Array.isArray(response)) {
    return malformed(`the response is ${describe(response)}, not an object`)
  }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures
  if (failures === null || failures === undefined) return { kind: 'success' }
  if (!Array.isArray(failures)) return malformed(`batchItemFailures is ${describe(failures)}, not a list`)
  if (failures.length === 0) return { kind: 'success' }
  const positions = new Map(records.map((record, index) => [record.dynamodb.SequenceNumber, index]))
  let failedFrom = records.length
  for (const failure of failures) {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier
    const index = typeof identifier === 'string' ? positions.get(identifier) : undefined
    if (index === undefined) {
      return malformed(`itemIdentifier ${describe(identifier)} is no SequenceNumber of the batch`)
    }
    failedFrom = Math.min(failedFrom, index)
  }
  const failed = records[failedFrom]?.dynamodb.SequenceNumber
  return {
    kind: 'partial',
    failedFrom,
    error: {
      kind: 'error',
      type: 'BatchItemFailures',
      message: `the function reported ${failures.length} failed record${failures.length === 1 ? '' : 's'}, the first ${failed}`,
    },
  }
}

function malformed(reason: string): BatchVerdict {
  return {
    kind: 'failure',
    error: { kind: 'error', type: 'InvalidBatchItemFailures', message: `${reason}: the whole batch failed` },
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) as string | undefined
  if (text === undefined) return String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
