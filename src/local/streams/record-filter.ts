import { compileFilterPolicy } from '../sns/filter-policy.ts'
import type { StreamRecord } from './stream-source.ts'

/** Whether a record reaches the function. */
export type RecordFilter = (record: StreamRecord) => boolean

/**
 * Lambda event filtering (`filterPatterns`, osls's FilterCriteria): a record reaches the function when
 * it matches any of the patterns; the others are dropped, never delivered, and count as processed
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html). Patterns match the
 * record as Lambda sees it, `eventName` and the DynamoDB JSON of `dynamodb.Keys`, `NewImage` and
 * `OldImage`: `{ "dynamodb": { "NewImage": { "status": { "S": ["READY"] } } } }`.
 *
 * Lambda's pattern syntax is the one SNS filter policies on message bodies use, so the local SNS's
 * matcher serves both; what it cannot honour (`$or`, `wildcard`, `cidr`...) fails here, at startup.
 * Numeric rules never match DynamoDB numbers, which DynamoDB JSON writes as strings (`{ "N": "5" }`).
 */
export function compileRecordFilter(patterns: unknown, where: string): RecordFilter {
  // osls's schema: 1 to 10 objects (Lambda's default quota is 5 filters per mapping).
  if (!Array.isArray(patterns) || patterns.length < 1 || patterns.length > 10) {
    throw new Error(`${where}: must list 1 to 10 filter patterns, got ${JSON.stringify(patterns)}`)
  }
  const compiled = patterns.map((pattern, index) =>
    compileFilterPolicy(pattern, 'MessageBody', `${where}[${index}]`),
  )
  return (record) => {
    const body = JSON.stringify(record)
    return compiled.some((pattern) => pattern.matches({ attributes: {}, body }))
  }
}
