import type { ServiceDefinition } from '../serverless/service-definition.ts'
import { compileRecordFilter, type RecordFilter } from './record-filter.ts'

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST'

/**
 * One `stream` event of type dynamodb in serverless.ts: the event source mapping Lambda creates from
 * a table's stream to a function, with the settings osls compiles into `AWS::Lambda::EventSourceMapping`.
 */
export interface StreamMapping {
  /** `<function>:<table>` (neither name can hold a colon): names the mapping in logs and checkpoints. */
  id: string
  functionName: string
  tableName: string
  enabled: boolean
  batchSize: number
  batchWindowSeconds: number
  startingPosition: StartingPosition
  reportBatchItemFailures: boolean
  bisectBatchOnFunctionError: boolean
  /** Retries of a failed batch; -1: until it succeeds (AWS: until its records expire from the stream). */
  maximumRetryAttempts: number
  /** Records older than this are given up on; -1: no limit. */
  maximumRecordAgeSeconds: number
  /** `destinations.onFailure` as serverless.ts writes it; undefined: failed batches are discarded, as AWS does. */
  onFailure: unknown
  /** Which records reach the function (`filterPatterns`); undefined: all of them. */
  filter: RecordFilter | undefined
}

/**
 * osls's own default, not Lambda's: its compiler writes `BatchSize: 10` into every mapping that sets
 * none (lib/plugins/aws/package/compile/events/stream.js), although the API defaults to 100.
 */
const OSLS_DEFAULT_BATCH_SIZE = 10

/** The options osls's schema accepts on a `stream` event (it refuses any other key). */
const OSLS_OPTIONS = new Set([
  'arn',
  'type',
  'batchSize',
  'parallelizationFactor',
  'startingPosition',
  'startingPositionTimestamp',
  'enabled',
  'consumer',
  'batchWindow',
  'maximumRetryAttempts',
  'bisectBatchOnFunctionError',
  'maximumRecordAgeInSeconds',
  'functionResponseType',
  'destinations',
  'tumblingWindowInSeconds',
  'filterPatterns',
])

/** Options osls accepts that the local cloud cannot honour, refused rather than silently ignored. */
const UNSUPPORTED: Record<string, string> = {
  tumblingWindowInSeconds: 'tumbling windows (state carried between invocations) are not emulated locally',
  consumer: 'consumers (enhanced fan-out) exist for Kinesis streams only',
  startingPositionTimestamp: 'AT_TIMESTAMP exists for Kinesis streams only',
}

/**
 * The event source mappings of every function's `stream` events of type dynamodb, checked as osls's
 * schema and Lambda's CreateEventSourceMapping would check them: a wrong option fails here, at
 * startup, with a message that names the function and the option.
 */
export function streamMappingsFrom(
  definition: Pick<ServiceDefinition, 'functions' | 'resources'>,
): StreamMapping[] {
  const mappings = new Map<string, StreamMapping>()
  for (const fn of definition.functions.values()) {
    fn.events.forEach((event, index) => {
      if (!isObject(event) || !('stream' in event)) return
      const where = `serverless.ts: function ${fn.name}, events[${index}].stream`
      const mapping = parseStreamEvent(fn.name, event.stream, definition.resources, where)
      if (mappings.has(mapping.id)) {
        // Lambda's CreateEventSourceMapping answers ResourceConflictException for a second mapping.
        throw new Error(`${where}: ${fn.name} already has a stream event on table ${mapping.tableName}`)
      }
      mappings.set(mapping.id, mapping)
    })
  }
  return [...mappings.values()]
}

function parseStreamEvent(
  functionName: string,
  stream: unknown,
  resources: ServiceDefinition['resources'],
  where: string,
): StreamMapping {
  // `stream: <arn>` is osls's shorthand for `stream: { arn: <arn> }`.
  const options: Record<string, unknown> =
    typeof stream === 'string' ? { arn: stream } : asObject(stream, where)
  for (const key of Object.keys(options)) {
    if (!OSLS_OPTIONS.has(key)) {
      const hint =
        key === 'maximumBatchingWindow'
          ? ': osls calls the batching window of a stream event batchWindow (seconds, 0-300)'
          : ' (osls refuses it too)'
      throw new Error(`${where}: unknown option ${key}${hint}`)
    }
    const reason = UNSUPPORTED[key]
    if (reason !== undefined) throw new Error(`${where}.${key}: not supported: ${reason}`)
  }
  const type = streamType(options, where)
  if (type !== 'dynamodb') {
    throw new Error(`${where}: ${type} streams are not emulated by the local cloud, only dynamodb ones`)
  }
  const tableName = tableOf(options.arn, resources, `${where}.arn`)
  const optionWhere = (key: string) => `${where}.${key}`
  // Accepted and ignored: more concurrent batches per shard keep each key's records in order, so one
  // batch at a time is one of the orders AWS may produce.
  integerIn(options.parallelizationFactor, 1, 10, 1, optionWhere('parallelizationFactor'))
  return {
    id: `${functionName}:${tableName}`,
    functionName,
    tableName,
    enabled: booleanOf(options.enabled, true, optionWhere('enabled')),
    batchSize: integerIn(options.batchSize, 1, 10_000, OSLS_DEFAULT_BATCH_SIZE, optionWhere('batchSize')),
    batchWindowSeconds: integerIn(options.batchWindow, 0, 300, 0, optionWhere('batchWindow')),
    startingPosition: startingPositionOf(options.startingPosition, optionWhere('startingPosition')),
    reportBatchItemFailures:
      oneOf(
        options.functionResponseType,
        ['ReportBatchItemFailures'],
        optionWhere('functionResponseType'),
      ) !== undefined,
    bisectBatchOnFunctionError: booleanOf(
      options.bisectBatchOnFunctionError,
      false,
      optionWhere('bisectBatchOnFunctionError'),
    ),
    maximumRetryAttempts: integerIn(
      options.maximumRetryAttempts,
      -1,
      10_000,
      -1,
      optionWhere('maximumRetryAttempts'),
    ),
    maximumRecordAgeSeconds: recordAgeOf(
      options.maximumRecordAgeInSeconds,
      optionWhere('maximumRecordAgeInSeconds'),
    ),
    onFailure: onFailureOf(options.destinations, optionWhere('destinations')),
    filter:
      options.filterPatterns === undefined
        ? undefined
        : compileRecordFilter(options.filterPatterns, optionWhere('filterPatterns')),
  }
}

/** As osls decides it: `type`, else the service of a literal ARN (its third field). */
function streamType(options: Record<string, unknown>, where: string): string {
  if (options.type !== undefined) {
    return oneOf(options.type, ['dynamodb', 'kinesis'], `${where}.type`) ?? 'dynamodb'
  }
  if (typeof options.arn === 'string') return options.arn.split(':')[2] ?? ''
  throw new Error(`${where}: type (dynamodb) is required when arn is not an ARN string`)
}

const STREAM_ARN = /^arn:aws[a-z-]*:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\/[^/]+$/

/**
 * The table whose stream `arn` names: `{ "Fn::GetAtt": [<table logical id>, "StreamArn"] }` with a
 * TableName in resources, or a literal stream ARN. Other CloudFormation functions (Ref, ImportValue,
 * Join...) name streams the local cloud cannot know.
 */
function tableOf(arn: unknown, resources: ServiceDefinition['resources'], where: string): string {
  if (arn === undefined) throw new Error(`${where}: required`)
  if (typeof arn === 'string') {
    const tableName = STREAM_ARN.exec(arn)?.[1]
    if (tableName === undefined) {
      throw new Error(
        `${where}: ${arn} is not a DynamoDB stream ARN (arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>)`,
      )
    }
    return tableName
  }
  const getAtt = isObject(arn) && Object.keys(arn).length === 1 ? arn['Fn::GetAtt'] : undefined
  const [logicalId, attribute] =
    typeof getAtt === 'string' ? getAtt.split('.') : Array.isArray(getAtt) ? getAtt : []
  if (typeof logicalId !== 'string' || attribute !== 'StreamArn') {
    throw new Error(
      `${where}: expected { "Fn::GetAtt": [<table>, "StreamArn"] } or a stream ARN, got ${JSON.stringify(arn)}`,
    )
  }
  const resource = Object.hasOwn(resources, logicalId) ? resources[logicalId] : undefined
  if (resource?.Type !== 'AWS::DynamoDB::Table') {
    throw new Error(`${where}: resources has no AWS::DynamoDB::Table named ${logicalId}`)
  }
  const tableName = resource.Properties?.TableName
  if (typeof tableName !== 'string' || tableName === '') {
    throw new Error(`${where}: table ${logicalId} has no TableName, which the local cloud names tables by`)
  }
  if (!isObject(resource.Properties?.StreamSpecification)) {
    throw new Error(`${where}: table ${logicalId} has no StreamSpecification, so no stream to read`)
  }
  return tableName
}

/** Lambda takes TRIM_HORIZON or LATEST for DynamoDB streams; osls defaults to TRIM_HORIZON. */
function startingPositionOf(value: unknown, where: string): StartingPosition {
  if (value === 'AT_TIMESTAMP') throw new Error(`${where}: AT_TIMESTAMP exists for Kinesis streams only`)
  return oneOf(value, ['TRIM_HORIZON', 'LATEST'], where) ?? 'TRIM_HORIZON'
}

/** -1 (no limit, the default) or 60 s to 7 days, as osls's schema and Lambda's API allow. */
function recordAgeOf(value: unknown, where: string): number {
  if (value === -1) return -1
  return integerIn(value, 60, 604_800, -1, where, 'or -1')
}

/** `destinations: { onFailure: <arn> | { arn, type: sns | sqs } }`, kept as written for the dead letters. */
function onFailureOf(destinations: unknown, where: string): unknown {
  if (destinations === undefined) return undefined
  const { onFailure, ...others } = asObject(destinations, where)
  const [other] = Object.keys(others)
  if (other !== undefined)
    throw new Error(`${where}: unknown option ${other}; a stream event has onFailure only`)
  if (typeof onFailure === 'string' && onFailure.startsWith('arn:')) return onFailure
  if (isObject(onFailure)) {
    const type = oneOf(onFailure.type, ['sns', 'sqs'], `${where}.onFailure.type`)
    const arnIsString = typeof onFailure.arn === 'string' && onFailure.arn.startsWith('arn:')
    if (arnIsString || (isObject(onFailure.arn) && type !== undefined)) return onFailure
  }
  throw new Error(
    `${where}.onFailure: expected an SQS queue or SNS topic ARN, or { arn, type: sqs | sns }, got ${JSON.stringify(onFailure)}`,
  )
}

function integerIn(
  value: unknown,
  min: number,
  max: number,
  fallback: number,
  where: string,
  alternative = '',
): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const also = alternative === '' ? '' : ` ${alternative}`
    throw new Error(`${where}: must be an integer from ${min} to ${max}${also}, got ${JSON.stringify(value)}`)
  }
  return value
}

function booleanOf(value: unknown, fallback: boolean, where: string): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean')
    throw new Error(`${where}: must be true or false, got ${JSON.stringify(value)}`)
  return value
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T | undefined {
  if (value === undefined) return undefined
  if (!allowed.includes(value as T)) {
    throw new Error(`${where}: must be ${allowed.join(' or ')}, got ${JSON.stringify(value)}`)
  }
  return value as T
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (!isObject(value)) throw new Error(`${where}: expected an object, got ${JSON.stringify(value)}`)
  return value
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
