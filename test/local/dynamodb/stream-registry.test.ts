import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { StreamRegistry, type StreamRegistryOptions } from '#local/dynamodb/streams/stream-registry.ts'

const NOW = Date.parse('2024-05-01T12:00:00Z')

describe('StreamRegistry', () => {
  let root: string
  let dirs = 0
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'udagram-stream-registry-'))
  })
  after(() => rm(root, { recursive: true, force: true }))

  const open = (dir: string | undefined, overrides: Partial<StreamRegistryOptions> = {}) =>
    StreamRegistry.open({
      dir,
      region: 'eu-west-1',
      accountId: '123456789012',
      itemSize: (item) => JSON.stringify(item).length,
      clock: () => NOW,
      ...overrides,
    })
  const aTable = { tableName: 'Images', viewType: 'KEYS_ONLY', keyNames: ['groupId', 'timestamp'] } as const
  const insert = {
    eventName: 'INSERT',
    newImage: { groupId: { S: 'g' }, timestamp: { S: 't' }, title: { S: 'x' } },
  } as const

  it('names the stream by table and creation time, in the configured region and account', () => {
    const registry = open(undefined)

    const stream = registry.enable(aTable)

    assert.equal(stream.definition.label, '2024-05-01T12:00:00.000')
    assert.equal(
      stream.streamArn,
      'arn:aws:dynamodb:eu-west-1:123456789012:table/Images/stream/2024-05-01T12:00:00.000',
    )
    assert.deepEqual(registry.list(), [
      { tableName: 'Images', streamArn: stream.streamArn, viewType: 'KEYS_ONLY' },
    ])
  })

  it('gives a stream enabled again a new label, and starts it empty', () => {
    const registry = open(undefined)
    const first = registry.enable(aTable)
    first.record(insert)

    registry.disable('Images')
    first.record(insert)
    const second = registry.enable(aTable)

    assert.notEqual(second.definition.label, first.definition.label)
    assert.deepEqual(registry.read('Images', undefined, 10), [])
  })

  it('never hands out a sequence number again after a restart, even once every record was trimmed', () => {
    const dir = join(root, `registry-${++dirs}`)
    const first = open(dir)
    const stream = first.enable(aTable)
    stream.record(insert)
    stream.record(insert)
    const [, last] = first.read('Images', undefined, 10)
    first.trim('Images', last?.dynamodb.SequenceNumber ?? '')
    first.close()

    const second = open(dir)
    second.get('Images')?.record(insert)
    const [next] = second.read('Images', undefined, 10)

    assert.ok((next?.dynamodb.SequenceNumber ?? '') > (last?.dynamodb.SequenceNumber ?? ''))
    assert.deepEqual(second.list(), first.list())
    second.close()
  })

  it('carries only the key attributes in Keys', () => {
    const registry = open(undefined)
    registry.enable(aTable).record(insert)

    const [record] = registry.read('Images', undefined, 1)

    assert.deepEqual(record?.dynamodb.Keys, { groupId: { S: 'g' }, timestamp: { S: 't' } })
    assert.equal(record?.dynamodb.NewImage, undefined)
    assert.equal(record?.dynamodb.SizeBytes, JSON.stringify(record?.dynamodb.Keys).length)
  })

  it('deletes the log files of streams it no longer has', async () => {
    const dir = join(root, `registry-${++dirs}`)
    const registry = open(dir)
    registry.enable(aTable).record(insert)
    registry.enable({ ...aTable, tableName: 'Other' }).record(insert)

    registry.disable('Other')
    registry.close()

    assert.deepEqual((await readdir(dir)).sort(), ['Images.20240501120000000.jsonl', 'streams.json'])
  })
})
