import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import type { StreamRecord } from '#local/streams/stream-source.ts'
import {
  aKeyedTable,
  type LocalDynamoDbClients,
  startDiskDynamoDb,
  untilActive,
} from '#test/builders/local-dynamodb.ts'

const TABLE = 'Streamed'

const pkOf = (record: StreamRecord) => (record.dynamodb.Keys.pk as { S: string }).S

async function putAll(local: LocalDynamoDbClients, pks: string[]): Promise<void> {
  for (const pk of pks) {
    await local.client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: pk }, sk: { S: 'a' } } }))
  }
}

async function withStreamedTable(dataDir: string): Promise<LocalDynamoDbClients> {
  const local = await startDiskDynamoDb(dataDir)
  await local.client.send(new CreateTableCommand(aKeyedTable(TABLE)))
  await untilActive(local.client, TABLE)
  return local
}

describe('DynamoDB Streams of the local DynamoDB on disk', () => {
  let root: string
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'udagram-streams-'))
  })
  after(() => rm(root, { recursive: true, force: true }))

  it('keeps the untrimmed records and the stream across a restart, and goes on with the sequence', async () => {
    const dataDir = join(root, 'restart')
    const first = await withStreamedTable(dataDir)
    await putAll(first, ['k1', 'k2', 'k3'])
    const written = await first.dynamoDb.streams.read(TABLE, undefined, 10)
    first.dynamoDb.streams.trim(TABLE, written[0]?.dynamodb.SequenceNumber ?? '')
    const [stream] = await first.dynamoDb.streams.streams()
    await first.close()

    const second = await startDiskDynamoDb(dataDir)
    try {
      await putAll(second, ['k4'])
      const kept = await second.dynamoDb.streams.read(TABLE, undefined, 10)
      const { Table } = await second.client.send(new DescribeTableCommand({ TableName: TABLE }))

      assert.deepEqual(await second.dynamoDb.streams.streams(), [stream])
      assert.equal(Table?.LatestStreamArn, stream?.streamArn)
      assert.deepEqual(kept.map(pkOf), ['k2', 'k3', 'k4'])
      assert.deepEqual(kept.slice(0, 2), written.slice(1))
      assert.ok((kept[2]?.dynamodb.SequenceNumber ?? '') > (written[2]?.dynamodb.SequenceNumber ?? ''))
    } finally {
      await second.close()
    }
    assert.deepEqual(
      (await readdir(join(dataDir, 'dynamodb-streams'))).filter((file) => file.endsWith('.tmp')),
      [],
    )
  })

  it('keeps the record of every acknowledged write when the process is killed', async () => {
    const dataDir = join(root, 'killed')
    const first = await withStreamedTable(dataDir)
    const pks = Array.from({ length: 20 }, (_, i) => `killed-${i}`)
    await putAll(first, pks)

    process.kill(first.dynamoDb.pid, 'SIGKILL')
    await first.close()

    const second = await startDiskDynamoDb(dataDir)
    try {
      const kept = await second.dynamoDb.streams.read(TABLE, undefined, 100)
      assert.deepEqual(kept.map(pkOf), pks)
      assert.deepEqual(
        kept.map((record) => record.eventName),
        pks.map(() => 'INSERT'),
      )
    } finally {
      await second.close()
    }
  })

  it('forgets a stream whose table is gone from the LevelDB folder', async () => {
    const dataDir = join(root, 'tables-deleted')
    const first = await withStreamedTable(dataDir)
    await putAll(first, ['k1'])
    await first.close()
    await rm(join(dataDir, 'dynamodb'), { recursive: true })

    const second = await startDiskDynamoDb(dataDir)
    try {
      assert.deepEqual(await second.dynamoDb.streams.streams(), [])
      assert.deepEqual(await second.dynamoDb.streams.read(TABLE, undefined, 10), [])
      assert.deepEqual((await readdir(join(dataDir, 'dynamodb-streams'))).sort(), ['streams.json'])
    } finally {
      await second.close()
    }
  })
})
