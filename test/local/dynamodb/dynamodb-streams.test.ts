import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  type ReturnValue,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import type { StreamRecord } from '#local/streams/stream-source.ts'
import {
  aKeyedTable,
  type LocalDynamoDbClients,
  startInMemoryDynamoDb,
  uniqueTableName,
  untilActive,
} from '#test/builders/local-dynamodb.ts'

type Item = Record<string, AttributeValue>

const key = (pk: string, sk = 'a'): Item => ({ pk: { S: pk }, sk: { S: sk } })
const anItem = (pk: string, fields: Item = {}): Item => ({ ...key(pk), title: { S: 'a title' }, ...fields })

describe('DynamoDB Streams of the local DynamoDB', () => {
  let local: LocalDynamoDbClients
  before(async () => {
    local = await startInMemoryDynamoDb()
  })
  after(() => local.close())

  async function aTable(options: Parameters<typeof aKeyedTable>[1] = {}): Promise<string> {
    const name = uniqueTableName('streamed')
    await local.client.send(new CreateTableCommand(aKeyedTable(name, options)))
    await untilActive(local.client, name)
    return name
  }
  const put = (TableName: string, Item: Item) => local.client.send(new PutItemCommand({ TableName, Item }))
  const setTitle = (TableName: string, Key: Item, title: string, ReturnValues?: ReturnValue) =>
    local.client.send(
      new UpdateItemCommand({
        TableName,
        Key,
        UpdateExpression: 'SET title = :title',
        ExpressionAttributeValues: { ':title': { S: title } },
        ReturnValues,
      }),
    )
  const remove = (TableName: string, Key: Item) =>
    local.client.send(new DeleteItemCommand({ TableName, Key }))
  const recordsOf = (table: string): Promise<StreamRecord[]> =>
    local.dynamoDb.streams.read(table, undefined, 1000)

  it('records an INSERT, a MODIFY and a REMOVE, each with the images NEW_AND_OLD_IMAGES asks for', async () => {
    const table = await aTable()
    const started = Math.floor(Date.now() / 1000)

    await put(table, anItem('p1'))
    await setTitle(table, key('p1'), 'renamed')
    await remove(table, key('p1'))

    const records = await recordsOf(table)
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: table }))
    assert.deepEqual(
      records.map((record) => [record.eventName, record.dynamodb.OldImage, record.dynamodb.NewImage]),
      [
        ['INSERT', undefined, anItem('p1')],
        ['MODIFY', anItem('p1'), anItem('p1', { title: { S: 'renamed' } })],
        ['REMOVE', anItem('p1', { title: { S: 'renamed' } }), undefined],
      ],
    )
    for (const record of records) {
      assert.equal(record.eventVersion, '1.1')
      assert.equal(record.eventSource, 'aws:dynamodb')
      assert.equal(record.awsRegion, 'us-east-1')
      assert.equal(record.eventSourceARN, Table?.LatestStreamArn)
      assert.deepEqual(record.dynamodb.Keys, key('p1'))
      assert.equal(record.dynamodb.StreamViewType, 'NEW_AND_OLD_IMAGES')
      assert.match(record.dynamodb.SequenceNumber, /^\d{21}$/)
      assert.ok(record.dynamodb.SizeBytes > 0)
      assert.ok(Number.isInteger(record.dynamodb.ApproximateCreationDateTime))
      assert.ok(Math.abs(record.dynamodb.ApproximateCreationDateTime - started) <= 2)
    }
    assert.equal(new Set(records.map((record) => record.eventID)).size, 3)
  })

  for (const [viewType, carries] of [
    ['KEYS_ONLY', { newImage: false, oldImage: false }],
    ['NEW_IMAGE', { newImage: true, oldImage: false }],
    ['OLD_IMAGE', { newImage: false, oldImage: true }],
  ] as const) {
    it(`carries only the images ${viewType} asks for`, async () => {
      const table = await aTable({ stream: viewType })

      await put(table, anItem('p1'))
      await put(table, anItem('p1', { title: { S: 'replaced' } }))
      await remove(table, key('p1'))

      const records = await recordsOf(table)
      assert.deepEqual(
        records.map((record) => record.eventName),
        ['INSERT', 'MODIFY', 'REMOVE'],
      )
      const [inserted, modified, removed] = records
      assert.deepEqual(inserted?.dynamodb.NewImage, carries.newImage ? anItem('p1') : undefined)
      assert.deepEqual(
        modified?.dynamodb.NewImage,
        carries.newImage ? anItem('p1', { title: { S: 'replaced' } }) : undefined,
      )
      assert.deepEqual(modified?.dynamodb.OldImage, carries.oldImage ? anItem('p1') : undefined)
      assert.deepEqual(
        removed?.dynamodb.OldImage,
        carries.oldImage ? anItem('p1', { title: { S: 'replaced' } }) : undefined,
      )
      for (const record of records) {
        assert.deepEqual(record.dynamodb.Keys, key('p1'))
        assert.equal(record.dynamodb.StreamViewType, viewType)
      }
    })
  }

  it("answers every ReturnValues as a table without a stream does, and still records the write's images", async () => {
    const streamed = await aTable()
    const plain = await aTable({ stream: false })
    const script = async (table: string) => {
      const answers: unknown[] = []
      const put = async (Item: Item, ReturnValues?: ReturnValue) =>
        answers.push(
          (await local.client.send(new PutItemCommand({ TableName: table, Item, ReturnValues }))).Attributes,
        )
      await put(anItem('p1'), 'ALL_OLD')
      await put(anItem('p1', { n: { N: '1' } }), 'ALL_OLD')
      await put(anItem('p1', { n: { N: '2' } }), 'NONE')
      await put(anItem('p1', { n: { N: '3' } }))
      for (const returnValues of [
        'ALL_OLD',
        'UPDATED_OLD',
        'ALL_NEW',
        'UPDATED_NEW',
        'NONE',
        undefined,
      ] as const) {
        answers.push((await setTitle(table, key('p1'), `title ${returnValues}`, returnValues)).Attributes)
      }
      for (const returnValues of ['ALL_OLD', 'NONE'] as const) {
        await put(anItem('p2'))
        const { Attributes } = await local.client.send(
          new DeleteItemCommand({ TableName: table, Key: key('p2'), ReturnValues: returnValues }),
        )
        answers.push(Attributes)
      }
      return answers
    }

    const [fromStreamed, fromPlain] = [await script(streamed), await script(plain)]

    assert.deepEqual(fromStreamed, fromPlain)
    assert.equal(fromPlain[0], undefined)
    assert.deepEqual(fromPlain[1], anItem('p1'))
    const updates = (await recordsOf(streamed)).filter((record) => record.eventName === 'MODIFY')
    assert.deepEqual(
      updates.slice(3, 9).map((record) => record.dynamodb.NewImage?.title),
      ['ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW', 'NONE', 'undefined'].map((name) => ({
        S: `title ${name}`,
      })),
    )
  })

  it('records nothing for a write that fails its condition or deletes a missing item', async () => {
    const table = await aTable()
    await put(table, anItem('p1'))

    await assert.rejects(
      local.client.send(
        new PutItemCommand({
          TableName: table,
          Item: anItem('p1', { title: { S: 'overwritten' } }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      { name: 'ConditionalCheckFailedException' },
    )
    await assert.rejects(
      local.client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: key('p1'),
          UpdateExpression: 'SET title = :title',
          ConditionExpression: 'title = :other',
          ExpressionAttributeValues: { ':title': { S: 'x' }, ':other': { S: 'not the title' } },
        }),
      ),
      { name: 'ConditionalCheckFailedException' },
    )
    await assert.rejects(
      local.client.send(
        new DeleteItemCommand({
          TableName: table,
          Key: key('p1'),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      { name: 'ConditionalCheckFailedException' },
    )
    await remove(table, key('never-written'))
    await assert.rejects(put(table, { pk: { S: 'no sort key' } }), { name: 'ValidationException' })

    assert.deepEqual(
      (await recordsOf(table)).map((record) => record.eventName),
      ['INSERT'],
    )
  })

  it('records an unchanged PutItem as a MODIFY but an UpdateItem that changes nothing not at all', async () => {
    const table = await aTable()
    await put(table, anItem('p1', { tags: { SS: ['a', 'b'] } }))

    await put(table, anItem('p1', { tags: { SS: ['a', 'b'] } }))
    await setTitle(table, key('p1'), 'a title')
    await local.client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key('p1'),
        UpdateExpression: 'ADD tags :tags',
        ExpressionAttributeValues: { ':tags': { SS: ['b'] } },
      }),
    )

    const records = await recordsOf(table)
    assert.deepEqual(
      records.map((record) => record.eventName),
      ['INSERT', 'MODIFY'],
    )
    assert.deepEqual(records[1]?.dynamodb.OldImage, records[1]?.dynamodb.NewImage)
  })

  it('records every put and delete of a BatchWriteItem, for the tables that stream', async () => {
    const table = await aTable()
    const plain = await aTable({ stream: false })
    await put(table, anItem('gone'))

    await local.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [table]: [
            { PutRequest: { Item: anItem('b1') } },
            { PutRequest: { Item: anItem('b2') } },
            { DeleteRequest: { Key: key('gone') } },
            { DeleteRequest: { Key: key('never-written') } },
          ],
          [plain]: [{ PutRequest: { Item: anItem('b3') } }],
        },
      }),
    )

    const records = (await recordsOf(table)).slice(1)
    assert.deepEqual(
      records.map((record) => `${record.eventName} ${(record.dynamodb.Keys.pk as { S: string }).S}`).sort(),
      ['INSERT b1', 'INSERT b2', 'REMOVE gone'],
    )
    assert.deepEqual(await recordsOf(plain), [])
  })

  it('lists only the tables with a stream, and records nothing for the others', async () => {
    const streamed = await aTable({ stream: 'KEYS_ONLY' })
    const plain = await aTable({ stream: false })

    await put(plain, anItem('p1'))

    const streams = await local.dynamoDb.streams.streams()
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: streamed }))
    assert.deepEqual(
      streams.find((stream) => stream.tableName === streamed),
      { tableName: streamed, streamArn: Table?.LatestStreamArn, viewType: 'KEYS_ONLY' },
    )
    assert.equal(
      streams.some((stream) => stream.tableName === plain),
      false,
    )
    assert.deepEqual(await recordsOf(plain), [])
  })

  it('keeps the order of the writes to one key, under increasing sequence numbers', async () => {
    const table = await aTable()
    const increment = (pk: string) =>
      local.client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: key(pk),
          UpdateExpression: 'ADD n :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      )

    await Promise.all(Array.from({ length: 30 }, (_, i) => increment(i % 3 === 0 ? 'other' : 'counter')))

    const records = await recordsOf(table)
    const sequence = records.map((record) => record.dynamodb.SequenceNumber)
    assert.deepEqual(sequence, [...sequence].sort())
    assert.equal(new Set(sequence).size, 30)
    const counter = records.filter((record) => (record.dynamodb.Keys.pk as { S: string }).S === 'counter')
    assert.deepEqual(
      counter.map((record) => [record.dynamodb.OldImage?.n, record.dynamodb.NewImage?.n]),
      Array.from({ length: 20 }, (_, i) => [i === 0 ? undefined : { N: String(i) }, { N: String(i + 1) }]),
    )
  })

  it('shows the stream in DescribeTable and enables and disables it with UpdateTable', async () => {
    const table = await aTable({ stream: false })
    const described = async () =>
      (await local.client.send(new DescribeTableCommand({ TableName: table }))).Table
    assert.equal((await described())?.StreamSpecification, undefined)

    const enabled = await local.client.send(
      new UpdateTableCommand({
        TableName: table,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    )
    const label = enabled.TableDescription?.LatestStreamLabel ?? ''
    await put(table, anItem('p1'))

    assert.deepEqual(enabled.TableDescription?.StreamSpecification, {
      StreamEnabled: true,
      StreamViewType: 'NEW_IMAGE',
    })
    assert.match(label, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/)
    assert.equal(
      enabled.TableDescription?.LatestStreamArn,
      `arn:aws:dynamodb:us-east-1:000000000000:table/${table}/stream/${label}`,
    )
    const shown = await described()
    assert.equal(shown?.LatestStreamArn, enabled.TableDescription?.LatestStreamArn)
    assert.equal(shown?.TableArn, `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`)
    assert.deepEqual(
      (await recordsOf(table)).map((record) => record.eventName),
      ['INSERT'],
    )
    await assert.rejects(
      local.client.send(
        new UpdateTableCommand({
          TableName: table,
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      ),
      { name: 'ValidationException', message: `Table already has an enabled stream: TableName: ${table}` },
    )

    await local.client.send(
      new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } }),
    )
    await put(table, anItem('p2'))

    assert.equal((await described())?.StreamSpecification, undefined)
    assert.deepEqual(await recordsOf(table), [])
    assert.equal(
      (await local.dynamoDb.streams.streams()).some((stream) => stream.tableName === table),
      false,
    )
    await assert.rejects(
      local.client.send(
        new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } }),
      ),
      { name: 'ValidationException', message: `Table has no stream to disable: TableName: ${table}` },
    )
  })

  it('refuses a stream without a view type, as DynamoDB does', async () => {
    const name = uniqueTableName('streamed')

    await assert.rejects(
      local.client.send(
        new CreateTableCommand({ ...aKeyedTable(name), StreamSpecification: { StreamEnabled: true } }),
      ),
      { name: 'ValidationException', message: /StreamViewType is required/ },
    )
  })

  it('drops the stream with its table', async () => {
    const table = await aTable()
    await put(table, anItem('p1'))

    const { TableDescription } = await local.client.send(new DeleteTableCommand({ TableName: table }))

    assert.equal(TableDescription?.StreamSpecification?.StreamEnabled, true)
    assert.deepEqual(await recordsOf(table), [])
    assert.equal(
      (await local.dynamoDb.streams.streams()).some((stream) => stream.tableName === table),
      false,
    )
  })

  it('pages through the records with read(after, limit)', async () => {
    const table = await aTable()
    for (const pk of ['r1', 'r2', 'r3', 'r4', 'r5']) await put(table, anItem(pk))
    const pk = (records: StreamRecord[]) =>
      records.map((record) => (record.dynamodb.Keys.pk as { S: string }).S)

    const first = await local.dynamoDb.streams.read(table, undefined, 2)
    const second = await local.dynamoDb.streams.read(table, first.at(-1)?.dynamodb.SequenceNumber, 2)
    const third = await local.dynamoDb.streams.read(table, second.at(-1)?.dynamodb.SequenceNumber, 2)
    const past = await local.dynamoDb.streams.read(table, third.at(-1)?.dynamodb.SequenceNumber, 2)

    assert.deepEqual([pk(first), pk(second), pk(third), pk(past)], [['r1', 'r2'], ['r3', 'r4'], ['r5'], []])
  })

  it('tells its onAppend listeners which table has new records, until they unsubscribe', async () => {
    const table = await aTable()
    const heard: string[] = []
    const unsubscribe = local.dynamoDb.streams.onAppend((tableName) => {
      if (tableName === table) heard.push(tableName)
    })
    const noticed = new Promise<void>((resolve) => {
      const stop = local.dynamoDb.streams.onAppend((tableName) => {
        if (tableName !== table) return
        stop()
        resolve()
      })
    })

    await put(table, anItem('p1'))
    await noticed
    unsubscribe()
    await put(table, anItem('p2'))
    await local.dynamoDb.streams.read(table, undefined, 1)

    assert.deepEqual(heard, [table])
  })

  it('drops the records up to a trimmed sequence number', async () => {
    const table = await aTable()
    for (const pk of ['t1', 't2', 't3']) await put(table, anItem(pk))
    const [, second] = await recordsOf(table)

    local.dynamoDb.streams.trim(table, second?.dynamodb.SequenceNumber ?? '')

    assert.deepEqual(
      (await recordsOf(table)).map((record) => record.dynamodb.Keys.pk),
      [{ S: 't3' }],
    )
  })
})
