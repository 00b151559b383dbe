import assert from 'node:assert/strict'
import { appendFileSync, statSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { RETENTION_SECONDS, StreamLog } from '#local/dynamodb/streams/stream-log.ts'
import { formatSequenceNumber } from '#local/dynamodb/streams/stream-records.ts'
import type { StreamRecord } from '#local/streams/stream-source.ts'

const NOW = Date.parse('2024-05-01T12:00:00Z')

function aRecord(sequence: number, overrides: { createdAt?: number } = {}): StreamRecord {
  return {
    eventID: `event-${sequence}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor((overrides.createdAt ?? NOW) / 1000),
      Keys: { pk: { S: `key-${sequence}` } },
      NewImage: { pk: { S: `key-${sequence}` }, padding: { S: 'x'.repeat(100) } },
      SequenceNumber: formatSequenceNumber(sequence),
      SizeBytes: 120,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/2024-05-01T12:00:00.000',
  }
}

const sequenceNumbers = (records: StreamRecord[]) =>
  records.map((record) => Number(record.dynamodb.SequenceNumber))

describe('StreamLog', () => {
  let dir: string
  let files = 0
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'udagram-stream-log-'))
  })
  after(() => rm(dir, { recursive: true, force: true }))
  const aPath = () => join(dir, `log-${++files}.jsonl`)
  const open = (path: string, clock = () => NOW, compactMinBytes = 1024 * 1024) =>
    StreamLog.open({ path, clock, compactMinBytes })

  it('reads back after reopening the records that were appended and not trimmed', () => {
    const path = aPath()
    const log = open(path)
    for (let sequence = 1; sequence <= 5; sequence++) log.append(aRecord(sequence))
    log.trim(formatSequenceNumber(2))
    log.close()

    const reopened = open(path)

    assert.deepEqual(sequenceNumbers(reopened.read(undefined, 10)), [3, 4, 5])
    assert.deepEqual(
      reopened.read(undefined, 10),
      [3, 4, 5].map((sequence) => aRecord(sequence)),
    )
    assert.equal(reopened.lastSequenceNumber, formatSequenceNumber(5))
    reopened.close()
  })

  it('rewrites the file without the trimmed prefix once it outweighs the rest', () => {
    const path = aPath()
    const log = open(path, () => NOW, 2048)
    for (let sequence = 1; sequence <= 40; sequence++) log.append(aRecord(sequence))
    const full = statSync(path).size

    log.trim(formatSequenceNumber(10))
    const afterSmallTrim = statSync(path).size
    log.trim(formatSequenceNumber(30))
    const afterLargeTrim = statSync(path).size
    log.append(aRecord(41))
    log.close()

    assert.ok(afterSmallTrim > full, 'a trim that drops less than what is kept only appends a marker')
    assert.ok(afterLargeTrim < full / 3, `compacted from ${full} to ${afterLargeTrim} bytes`)
    assert.deepEqual(
      sequenceNumbers(open(path).read(undefined, 100)),
      [31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41],
    )
  })

  it('drops records older than 24 hours, as DynamoDB Streams does', () => {
    const path = aPath()
    let now = NOW
    const log = open(path, () => now)
    log.append(aRecord(1, { createdAt: NOW - RETENTION_SECONDS * 1000 - 1000 }))
    log.append(aRecord(2, { createdAt: NOW - 1000 }))
    log.append(aRecord(3))

    assert.deepEqual(sequenceNumbers(log.read(undefined, 10)), [2, 3])
    now = NOW + RETENTION_SECONDS * 1000
    assert.deepEqual(sequenceNumbers(log.read(undefined, 10)), [3])
    log.close()
    assert.deepEqual(sequenceNumbers(open(path, () => now).read(undefined, 10)), [3])
  })

  it('cuts off a line torn by a crash, so the next append starts on a line of its own', () => {
    const path = aPath()
    const log = open(path)
    log.append(aRecord(1))
    log.close()
    appendFileSync(path, JSON.stringify(aRecord(2)).slice(0, 40))

    const reopened = open(path)
    reopened.append(aRecord(3))
    reopened.close()

    assert.deepEqual(sequenceNumbers(open(path).read(undefined, 10)), [1, 3])
  })

  it('refuses a file with a line that is not a record, naming the file', () => {
    const path = aPath()
    writeFileSync(path, `${JSON.stringify(aRecord(1))}\nnot json\n`)

    assert.throws(
      () => open(path),
      new RegExp(`the stream log ${path} has a line that is not a stream record`),
    )
  })

  it('keeps records in memory only when it has no file', () => {
    const log = StreamLog.open({ clock: () => NOW, compactMinBytes: 0 })
    for (let sequence = 1; sequence <= 3; sequence++) log.append(aRecord(sequence))
    log.trim(formatSequenceNumber(1))

    assert.deepEqual(sequenceNumbers(log.read(formatSequenceNumber(2), 10)), [3])
    assert.deepEqual(sequenceNumbers(log.read(undefined, 1)), [2])
  })
})
