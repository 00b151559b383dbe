import { MemoryDeadLetterStore } from '#local/lambda/async/dead-letter-store.ts'
import type { LocalFunctionDefinition, ServiceDefinition } from '#local/serverless/service-definition.ts'
import {
  type StreamEventSources,
  type StreamEventSourcesOptions,
  startStreamEventSources,
} from '#local/streams/stream-event-sources.ts'
import type { StreamLogger } from '#local/streams/stream-logger.ts'
import { aFunction } from '#test/builders/function-definitions.ts'
import { MemoryStreamSource } from '#test/fakes/memory-stream-source.ts'
import { ScriptedStreamFunction } from '#test/fakes/scripted-stream-function.ts'

export const IMAGES_TABLE = 'udagram-images-test'
export const failureQueue = { type: 'sqs', arn: { 'Fn::GetAtt': ['AsyncFailuresQueue', 'Arn'] } }

type StreamEvent = LocalFunctionDefinition['events'][number]

/** A `stream` event on the Images table's stream, as serverless.ts writes it. */
export function aStreamEvent(options: Record<string, unknown> = {}): StreamEvent {
  return {
    stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] }, ...options },
  } as StreamEvent
}

/** serverless.ts's functions (name -> events) and its Images table, with a stream, as loaded. */
export function aDefinition(
  functions: Record<string, StreamEvent[]>,
  resources: ServiceDefinition['resources'] = { ImagesTable: anImagesTable() },
): Pick<ServiceDefinition, 'functions' | 'resources'> {
  return {
    functions: new Map(
      Object.entries(functions).map(([name, events]) => aFunction('/dev/null', name, 'handler', { events })),
    ),
    resources,
  }
}

export function anImagesTable(properties: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      TableName: IMAGES_TABLE,
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      ...properties,
    },
  }
}

/** Keeps what would go to stderr, so tests stay quiet and can look at it. */
export function aRecordingLogger() {
  const lines: Array<{
    level: 'info' | 'warn' | 'error'
    message: string
    details: Record<string, unknown>
  }> = []
  const logger: StreamLogger = {
    info: (message, details) => lines.push({ level: 'info', message, details }),
    warn: (message, details) => lines.push({ level: 'warn', message, details }),
    error: (message, details) => lines.push({ level: 'error', message, details }),
  }
  return { logger, lines, messages: (level: 'info' | 'warn' | 'error') => linesOf(lines, level) }
}

function linesOf(lines: Array<{ level: string; message: string }>, level: string): string[] {
  return lines.filter((line) => line.level === level).map((line) => line.message)
}

/** An image insert, keyed like the Images table. */
export function anImageChange(imageId: string, overrides: Record<string, unknown> = {}) {
  return {
    keys: { groupId: { S: 'group-1' }, timestamp: { S: `2026-11-25T10:00:00.000Z#${imageId}` } },
    newImage: { groupId: { S: 'group-1' }, imageId: { S: imageId }, title: { S: `title of ${imageId}` } },
    ...overrides,
  }
}

export interface StreamsHarness {
  streams: StreamEventSources
  source: MemoryStreamSource
  lambda: ScriptedStreamFunction
  deadLetters: MemoryDeadLetterStore
  log: ReturnType<typeof aRecordingLogger>
}

/**
 * Starts the stream event sources over a memory stream of the Images table and a scripted function,
 * retrying at once; pass a `source`, `functions` or `deadLetters` to share them across a restart.
 */
export async function startStreams(
  definition: Pick<ServiceDefinition, 'functions' | 'resources'>,
  overrides: Partial<Omit<StreamEventSourcesOptions, 'functions' | 'source' | 'deadLetters'>> & {
    source?: MemoryStreamSource
    functions?: ScriptedStreamFunction
    deadLetters?: MemoryDeadLetterStore
  } = {},
): Promise<StreamsHarness> {
  const source = overrides.source ?? new MemoryStreamSource([IMAGES_TABLE])
  const lambda = overrides.functions ?? new ScriptedStreamFunction()
  const deadLetters = overrides.deadLetters ?? new MemoryDeadLetterStore()
  const log = aRecordingLogger()
  const streams = await startStreamEventSources({
    dataDir: undefined,
    retryDelaysMs: [0],
    logger: log.logger,
    ...overrides,
    definition,
    functions: lambda,
    source,
    deadLetters,
  })
  return { streams, source, lambda, deadLetters, log }
}

/** The SequenceNumbers of records, for comparing batches. */
export function sequenceNumbers(records: Array<{ dynamodb: { SequenceNumber: string } }>): string[] {
  return records.map((record) => record.dynamodb.SequenceNumber)
}

/** Lets pending promise callbacks and I/O run, for tests with mocked timers. */
export async function settle(turns = 10): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve))
}
