import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { streamMappingsFrom } from '#local/streams/stream-mappings.ts'
import type { StreamRecord } from '#local/streams/stream-source.ts'
import { aDefinition, anImagesTable, aStreamEvent, failureQueue, IMAGES_TABLE } from './stream-fixture.ts'

/** IndexImages's stream event, with the batching window under the name osls gives it. */
const indexImagesEvent = {
  startingPosition: 'TRIM_HORIZON',
  batchSize: 100,
  batchWindow: 1,
  functionResponseType: 'ReportBatchItemFailures',
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: 5,
  maximumRecordAgeInSeconds: 3600,
  destinations: { onFailure: failureQueue },
}

const mappingsOf = (options: Record<string, unknown>) =>
  streamMappingsFrom(aDefinition({ IndexImages: [aStreamEvent(options)] }))

describe('stream event source mappings from serverless.ts', () => {
  it('reads every option of a dynamodb stream event', () => {
    const [mapping, ...others] = mappingsOf(indexImagesEvent)

    assert.deepEqual(others, [])
    assert.deepEqual(mapping, {
      id: `IndexImages:${IMAGES_TABLE}`,
      functionName: 'IndexImages',
      tableName: IMAGES_TABLE,
      enabled: true,
      batchSize: 100,
      batchWindowSeconds: 1,
      startingPosition: 'TRIM_HORIZON',
      reportBatchItemFailures: true,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 5,
      maximumRecordAgeSeconds: 3600,
      onFailure: failureQueue,
      filter: undefined,
    })
  })

  it("takes osls's defaults: batches of 10, no window, TRIM_HORIZON, retries until the records expire", () => {
    const [mapping] = mappingsOf({})

    assert.equal(mapping?.batchSize, 10)
    assert.equal(mapping?.batchWindowSeconds, 0)
    assert.equal(mapping?.startingPosition, 'TRIM_HORIZON')
    assert.equal(mapping?.maximumRetryAttempts, -1)
    assert.equal(mapping?.maximumRecordAgeSeconds, -1)
    assert.equal(mapping?.bisectBatchOnFunctionError, false)
    assert.equal(mapping?.reportBatchItemFailures, false)
    assert.equal(mapping?.enabled, true)
    assert.equal(mapping?.onFailure, undefined)
  })

  it('finds the table of a literal stream ARN, in the shorthand or as arn', () => {
    const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${IMAGES_TABLE}/stream/2026-11-25T10:00:00.000`
    const definition = aDefinition({
      Shorthand: [{ stream: arn } as never],
      Object: [{ stream: { arn, startingPosition: 'LATEST' } } as never],
    })

    const mappings = streamMappingsFrom(definition)

    assert.deepEqual(
      mappings.map((mapping) => [mapping.id, mapping.startingPosition]),
      [
        [`Shorthand:${IMAGES_TABLE}`, 'TRIM_HORIZON'],
        [`Object:${IMAGES_TABLE}`, 'LATEST'],
      ],
    )
  })

  it('keeps a disabled mapping, marked so, and ignores functions without stream events', () => {
    const definition = aDefinition({
      Off: [aStreamEvent({ enabled: false })],
      Http: [{ http: { method: 'GET', path: 'x' } } as never],
    })

    assert.deepEqual(
      streamMappingsFrom(definition).map((mapping) => [mapping.functionName, mapping.enabled]),
      [['Off', false]],
    )
  })

  it('compiles filterPatterns into a record filter', () => {
    const [mapping] = mappingsOf({
      filterPatterns: [{ eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['READY'] } } } }],
    })
    const record = (eventName: string, status: string) =>
      ({ eventName, dynamodb: { NewImage: { status: { S: status } } } }) as unknown as StreamRecord

    assert.equal(mapping?.filter?.(record('INSERT', 'READY')), true)
    assert.equal(mapping?.filter?.(record('MODIFY', 'READY')), false)
    assert.equal(mapping?.filter?.(record('INSERT', 'PENDING')), false)
  })

  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'maximumBatchingWindow, which osls refuses',
      { maximumBatchingWindow: 1 },
      /function IndexImages, events\[0\]\.stream: unknown option maximumBatchingWindow: osls calls .* batchWindow/,
    ],
    ['an unknown option', { batchsize: 5 }, /unknown option batchsize \(osls refuses it too\)/],
    ['a batch of 0', { batchSize: 0 }, /IndexImages.*batchSize: must be an integer from 1 to 10000, got 0/],
    ['a batch of 10001', { batchSize: 10_001 }, /batchSize: must be an integer from 1 to 10000/],
    ['a fractional batch', { batchSize: 1.5 }, /batchSize: must be an integer/],
    ['a window of 301 s', { batchWindow: 301 }, /batchWindow: must be an integer from 0 to 300/],
    ['retries below -1', { maximumRetryAttempts: -2 }, /maximumRetryAttempts: must be an integer from -1/],
    ['retries above 10000', { maximumRetryAttempts: 10_001 }, /maximumRetryAttempts: must be .* to 10000/],
    [
      'a maximum age under a minute',
      { maximumRecordAgeInSeconds: 30 },
      /maximumRecordAgeInSeconds: must be an integer from 60 to 604800 or -1, got 30/,
    ],
    ['a maximum age over a week', { maximumRecordAgeInSeconds: 604_801 }, /maximumRecordAgeInSeconds/],
    [
      'AT_TIMESTAMP',
      { startingPosition: 'AT_TIMESTAMP' },
      /startingPosition: AT_TIMESTAMP exists for Kinesis/,
    ],
    [
      'an unknown position',
      { startingPosition: 'EARLIEST' },
      /startingPosition: must be TRIM_HORIZON or LATEST/,
    ],
    [
      'a tumbling window',
      { tumblingWindowInSeconds: 60 },
      /tumblingWindowInSeconds: not supported: tumbling/,
    ],
    ['a consumer', { consumer: true }, /consumer: not supported: .*Kinesis/],
    [
      'another response type',
      { functionResponseType: 'All' },
      /functionResponseType: must be ReportBatchItemFailures/,
    ],
    [
      'a non-boolean bisect',
      { bisectBatchOnFunctionError: 'yes' },
      /bisectBatchOnFunctionError: must be true or false/,
    ],
    ['a non-boolean enabled', { enabled: 1 }, /enabled: must be true or false/],
    [
      'a parallelization of 11',
      { parallelizationFactor: 11 },
      /parallelizationFactor: must be an integer from 1 to 10/,
    ],
    ['a kinesis stream', { type: 'kinesis' }, /kinesis streams are not emulated by the local cloud/],
    ['a Ref', { arn: { Ref: 'ImagesTable' } }, /arn: expected \{ "Fn::GetAtt": \[<table>, "StreamArn"\] \}/],
    ['the Arn attribute', { arn: { 'Fn::GetAtt': ['ImagesTable', 'Arn'] } }, /arn: expected/],
    [
      'an unknown table',
      { arn: { 'Fn::GetAtt': ['Nope', 'StreamArn'] } },
      /no AWS::DynamoDB::Table named Nope/,
    ],
    [
      'an ARN that is no stream',
      { arn: 'arn:aws:dynamodb:us-east-1:0:table/x' },
      /is not a DynamoDB stream ARN/,
    ],
    ['no arn', { arn: undefined }, /arn: required/],
    ['an object arn without type', { type: undefined }, /type \(dynamodb\) is required/],
    ['destinations without onFailure', { destinations: {} }, /destinations\.onFailure: expected/],
    [
      'an onSuccess destination',
      { destinations: { onFailure: 'arn:aws:sqs:x', onSuccess: 'y' } },
      /onSuccess/,
    ],
    [
      'a function arn without type',
      { destinations: { onFailure: { arn: { Ref: 'Q' } } } },
      /onFailure: expected/,
    ],
    ['no filter patterns', { filterPatterns: [] }, /filterPatterns: must list 1 to 10 filter patterns/],
    ['an $or pattern', { filterPatterns: [{ $or: [] }] }, /filterPatterns\[0\]: "\$or" filter policies/],
    [
      'a pattern that is no object',
      { filterPatterns: ['INSERT'] },
      /filterPatterns\[0\]: a filter policy is/,
    ],
  ]
  for (const [what, options, message] of invalid) {
    it(`refuses ${what}, naming the function and the option`, () => {
      assert.throws(
        () => mappingsOf(options),
        (error: Error) => {
          assert.match(error.message, /^serverless\.ts: function IndexImages, events\[0\]\.stream/)
          assert.match(error.message, message)
          return true
        },
      )
    })
  }

  it('refuses a table with no stream, or no TableName', () => {
    const withoutStream = aDefinition(
      { IndexImages: [aStreamEvent()] },
      { ImagesTable: anImagesTable({ StreamSpecification: undefined }) },
    )
    const withoutName = aDefinition(
      { IndexImages: [aStreamEvent()] },
      { ImagesTable: anImagesTable({ TableName: undefined }) },
    )

    assert.throws(() => streamMappingsFrom(withoutStream), /table ImagesTable has no StreamSpecification/)
    assert.throws(() => streamMappingsFrom(withoutName), /table ImagesTable has no TableName/)
  })

  it('refuses two stream events of one function on one table, as Lambda refuses a second mapping', () => {
    const definition = aDefinition({ IndexImages: [aStreamEvent(), aStreamEvent({ batchSize: 5 })] })

    assert.throws(
      () => streamMappingsFrom(definition),
      /IndexImages, events\[1\]\.stream: IndexImages already has a stream event on table udagram-images-test/,
    )
  })
})
