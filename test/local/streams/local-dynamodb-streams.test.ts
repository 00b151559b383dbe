import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  CreateTableCommand,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { MemoryDeadLetterStore } from '#local/lambda/async/dead-letter-store.ts'
import { startStreamEventSources } from '#local/streams/stream-event-sources.ts'
import {
  aKeyedTable,
  type LocalDynamoDbClients,
  startInMemoryDynamoDb,
  uniqueTableName,
  untilActive,
} from '#test/builders/local-dynamodb.ts'
import { ScriptedStreamFunction } from '#test/fakes/scripted-stream-function.ts'
import { aDefinition, anImagesTable, aRecordingLogger, aStreamEvent } from './stream-fixture.ts'

// The consumer against the real producer: the local DynamoDB's stream capture, over its IPC channel.

describe('stream event source mappings on the local DynamoDB', () => {
  let local: LocalDynamoDbClients
  before(async () => {
    local = await startInMemoryDynamoDb()
  })
  after(() => local.close())

  it("delivers a table's INSERT, MODIFY and REMOVE records in order, then trims them", async () => {
    const table = uniqueTableName('indexed')
    await local.client.send(new CreateTableCommand(aKeyedTable(table)))
    await untilActive(local.client, table)
    const lambda = new ScriptedStreamFunction()
    const streams = await startStreamEventSources({
      definition: aDefinition(
        { IndexImages: [aStreamEvent({ batchSize: 2 })] },
        { ImagesTable: anImagesTable({ TableName: table }) },
      ),
      functions: lambda,
      source: local.dynamoDb.streams,
      deadLetters: new MemoryDeadLetterStore(),
      dataDir: undefined,
      logger: aRecordingLogger().logger,
    })
    const Key = { pk: { S: 'image-1' }, sk: { S: 'a' } }

    try {
      await local.client.send(
        new PutItemCommand({ TableName: table, Item: { ...Key, title: { S: 'first' } } }),
      )
      await local.client.send(
        new UpdateItemCommand({
          TableName: table,
          Key,
          UpdateExpression: 'SET title = :title',
          ExpressionAttributeValues: { ':title': { S: 'second' } },
        }),
      )
      await local.client.send(new DeleteItemCommand({ TableName: table, Key }))
      await streams.idle()
    } finally {
      await streams.stop()
    }

    const records = lambda.calls.flatMap((call) => call.records)
    assert.deepEqual(
      records.map((record) => [
        record.eventName,
        record.dynamodb.NewImage?.title ?? record.dynamodb.OldImage?.title,
      ]),
      [
        ['INSERT', { S: 'first' }],
        ['MODIFY', { S: 'second' }],
        ['REMOVE', { S: 'second' }],
      ],
    )
    assert.ok(lambda.calls.every((call) => call.records.length <= 2))
    assert.deepEqual(await local.dynamoDb.streams.read(table, undefined, 10), [])
  })
})
