import { randomUUID } from 'node:crypto'
import type {
  DeadLetter,
  DeadLetterCondition,
  DeadLetterError,
  DeadLetterStore,
} from '../lambda/async/dead-letter-store.ts'
import type { FunctionInvoker, InvocationOutcome } from '../lambda/invocation.ts'
import { verdictOf } from './batch-verdict.ts'
import type { StreamLogger } from './stream-logger.ts'
import type { StreamMapping } from './stream-mappings.ts'
import type { StreamRecord } from './stream-source.ts'

export interface DeliveryContext {
  mapping: StreamMapping
  functions: FunctionInvoker
  deadLetters: DeadLetterStore
  logger: StreamLogger
  now: () => Date
  /** Wait before retry n is `retryDelaysMs[n - 1]` (the last one past the end). */
  retryDelaysMs: readonly number[]
  /** The mapping is done with every record up to and including this one: its checkpoint moves there. */
  acknowledge(sequenceNumber: string): Promise<void>
  /** Waits, unless the mapping stops: false then, at once. */
  pause(ms: number): Promise<boolean>
  stopping(): boolean
}

/** Some records of a batch, on their way to success or to being given up on. */
interface Part {
  records: StreamRecord[]
  /** Failed attempts counted against maximumRetryAttempts; a bisection counts none. */
  retries: number
  /** Invocations that included these records. */
  attempts: number
  firstAttemptAt: Date | undefined
  lastError: DeadLetterError
}

const NOT_INVOKED: DeadLetterError = {
  kind: 'not-invoked',
  message: 'the records were older than maximumRecordAgeInSeconds before they could be sent',
}

/**
 * Delivers one batch the way Lambda's event source mapping does for a DynamoDB stream
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html), in order, one
 * invocation at a time, moving the checkpoint as records are done with:
 * - a failed invocation is retried, after 0.5 s, 1 s, 2 s... (`retryDelaysMs`); Lambda's own
 *   backoff is undocumented;
 * - with bisectBatchOnFunctionError, a failed batch of two or more records is split in two and the
 *   halves are tried in order, at once: "Splitting batches doesn't consume the retry quota", so the
 *   halves inherit the count of retries so far, and only a single record failing spends retries;
 * - a partial failure (ReportBatchItemFailures) checkpoints before the first failed record and retries
 *   from it: one retry spent by the records that remain. With bisection on too, AWS splits "at the
 *   returned sequence number and Lambda retries only the remaining records", which is the same thing;
 * - after maximumRetryAttempts retries, or once its oldest records are older than
 *   maximumRecordAgeInSeconds (checked before each invocation, the first included: AWS skips expired
 *   records rather than sending them), the records go to the on-failure destination, here the
 *   dead-letter store, and the mapping moves on; without a destination they are discarded, as AWS does.
 *
 * Resolves `interrupted` when the mapping stops with records not done with: they stay after the
 * checkpoint, to be delivered again after a restart (at least once, never lost).
 */
export async function deliverBatch(
  records: StreamRecord[],
  context: DeliveryContext,
): Promise<'done' | 'interrupted'> {
  const { mapping } = context
  const parts: Part[] = [
    { records, retries: 0, attempts: 0, firstAttemptAt: undefined, lastError: NOT_INVOKED },
  ]
  for (let part = parts[0]; part !== undefined; part = parts[0]) {
    if (context.stopping()) return 'interrupted'
    const expired = expiredCount(part.records, mapping, context.now())
    if (expired > 0) {
      await giveUp({ ...part, records: part.records.slice(0, expired) }, 'EventAgeExceeded', context)
      part.records = part.records.slice(expired)
      if (part.records.length === 0) {
        parts.shift()
        continue
      }
    }
    part.firstAttemptAt ??= context.now()
    const outcome = await invoke(part.records, context)
    part.attempts += 1
    const verdict = verdictOf(outcome, part.records, mapping.reportBatchItemFailures)
    if (verdict.kind === 'success') {
      logDelivery(context, part, 'batch delivered')
      await context.acknowledge(lastSequenceNumber(part.records))
      parts.shift()
      continue
    }
    part.lastError = verdict.error
    if (verdict.kind === 'partial') {
      logDelivery(context, part, 'batch partly failed; retrying from the first failed record', verdict.error)
      const done = part.records.slice(0, verdict.failedFrom)
      if (done.length > 0) await context.acknowledge(lastSequenceNumber(done))
      part.records = part.records.slice(verdict.failedFrom)
    } else if (mapping.bisectBatchOnFunctionError && part.records.length > 1) {
      logDelivery(context, part, 'batch failed; retrying it in two halves', verdict.error)
      const middle = Math.ceil(part.records.length / 2)
      parts.splice(
        0,
        1,
        { ...part, records: part.records.slice(0, middle) },
        { ...part, records: part.records.slice(middle) },
      )
      continue
    } else {
      logDelivery(context, part, 'batch failed', verdict.error)
    }
    part.retries += 1
    if (mapping.maximumRetryAttempts !== -1 && part.retries > mapping.maximumRetryAttempts) {
      await giveUp(part, 'RetriesExhausted', context)
      parts.shift()
      continue
    }
    const delays = context.retryDelaysMs
    if (!(await context.pause(delays[Math.min(part.retries, delays.length) - 1] ?? 0))) return 'interrupted'
  }
  return 'done'
}

async function invoke(records: StreamRecord[], context: DeliveryContext): Promise<InvocationOutcome> {
  try {
    return await context.functions.invoke(context.mapping.functionName, { Records: records })
  } catch (error) {
    return { kind: 'crash', errorMessage: error instanceof Error ? error.message : String(error) }
  }
}

/** How many records, from the oldest, are past the mapping's maximum age. */
function expiredCount(records: StreamRecord[], mapping: StreamMapping, now: Date): number {
  if (mapping.maximumRecordAgeSeconds === -1) return 0
  const oldestAllowed = now.getTime() / 1000 - mapping.maximumRecordAgeSeconds
  const fresh = records.findIndex((record) => record.dynamodb.ApproximateCreationDateTime >= oldestAllowed)
  return fresh === -1 ? records.length : fresh
}

/** Sends the records to the on-failure destination (the dead-letter store), then moves past them. */
async function giveUp(part: Part, condition: DeadLetterCondition, context: DeliveryContext): Promise<void> {
  const { mapping, logger } = context
  const details = {
    ...batchDetails(context, part.records),
    attempts: part.attempts,
    condition,
    lastError: part.lastError,
  }
  if (mapping.onFailure === undefined) {
    logger.warn(`records discarded (${condition}): the stream event has no onFailure destination`, details)
  } else {
    const entry: DeadLetter = {
      id: randomUUID(),
      functionName: mapping.functionName,
      source: 'dynamodb',
      event: { Records: part.records },
      attempts: part.attempts,
      firstAttemptAt: (part.firstAttemptAt ?? context.now()).toISOString(),
      failedAt: context.now().toISOString(),
      condition,
      lastError: part.lastError,
      destination: mapping.onFailure,
    }
    try {
      await context.deadLetters.add(entry)
      logger.warn(`records dead-lettered (${condition}): npm run dlq -- list`, {
        deadLetterId: entry.id,
        ...details,
      })
    } catch (error) {
      logger.error('could not keep failed records in the dead-letter store; they are lost', {
        ...details,
        error,
      })
    }
  }
  await context.acknowledge(lastSequenceNumber(part.records))
}

function logDelivery(context: DeliveryContext, part: Part, message: string, error?: DeadLetterError): void {
  const details = { ...batchDetails(context, part.records), attempt: part.attempts }
  if (error === undefined) context.logger.info(message, details)
  else context.logger.warn(message, { ...details, error })
}

/** What a log line says of a batch: never its records, whose images may hold anything. */
function batchDetails(context: DeliveryContext, records: StreamRecord[]): Record<string, unknown> {
  return {
    functionName: context.mapping.functionName,
    table: context.mapping.tableName,
    records: records.length,
    firstSequenceNumber: records[0]?.dynamodb.SequenceNumber,
    lastSequenceNumber: records.at(-1)?.dynamodb.SequenceNumber,
  }
}

function lastSequenceNumber(records: StreamRecord[]): string {
  const last = records.at(-1)
  if (last === undefined) throw new Error('a batch has at least one record')
  return last.dynamodb.SequenceNumber
}
