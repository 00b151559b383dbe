import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { createTablesFromResources } from '#local/dynamodb/create-tables.ts'
import { startLocalDynamoDb } from '#local/dynamodb/start-local-dynamodb.ts'
import { clientsFor } from '#test/builders/local-dynamodb.ts'
import { groupsTableResource } from '#test/builders/table-definitions.ts'

/** A zombie (exited, not yet reaped by whoever adopted it) counts as gone; /proc tells on Linux. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z'
  } catch {
    return true
  }
}

/** A bound for a failing test, not a speed requirement: the child notices a dead parent at once. */
async function waitUntilGone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 500 && isRunning(pid); attempt++) await sleep(20)
  return !isRunning(pid)
}

/** A parent process that starts dynalite on `dir`, writes an item, reports the child pid and idles. */
function parentScript(dir: string): string {
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href)
  return `
    import { startLocalDynamoDb } from ${url('../../../src/local/dynamodb/start-local-dynamodb.ts')}
    import { createTablesFromResources } from ${url('../../../src/local/dynamodb/create-tables.ts')}
    import { clientsFor } from ${url('../../builders/local-dynamodb.ts')}
    import { groupsTableResource } from ${url('../../builders/table-definitions.ts')}
    import { PutCommand } from '@aws-sdk/lib-dynamodb'
    const db = await startLocalDynamoDb({ host: '127.0.0.1', port: 0, storage: { kind: 'disk', dir: ${JSON.stringify(dir)} } })
    const { client, documentClient } = clientsFor(db.endpoint)
    await createTablesFromResources(client, [groupsTableResource('Groups')])
    await documentClient.send(new PutCommand({ TableName: 'Groups', Item: { id: 'orphaned', name: 'flushed' } }))
    console.log(JSON.stringify({ pid: db.pid }))
    setInterval(() => {}, 1000)
  `
}

describe('startLocalDynamoDb', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'udagram-dynalite-'))
  })
  after(() => rm(dir, { recursive: true, force: true }))

  it('serves DynamoDB from its own process on a loopback port and stops it on close', async () => {
    const dynamoDb = await startLocalDynamoDb({ host: '127.0.0.1', port: 0, storage: { kind: 'memory' } })

    assert.match(dynamoDb.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.notEqual(dynamoDb.pid, process.pid)
    assert.equal(isRunning(dynamoDb.pid), true)

    await dynamoDb.close()
    await dynamoDb.close()

    assert.equal(isRunning(dynamoDb.pid), false)
  })

  it('keeps tables and items on disk across a restart on the same folder', async () => {
    const data = join(dir, 'restart')
    const first = await startLocalDynamoDb({
      host: '127.0.0.1',
      port: 0,
      storage: { kind: 'disk', dir: data },
    })
    const before = clientsFor(first.endpoint)
    await createTablesFromResources(before.client, [groupsTableResource('Groups')])
    await before.documentClient.send(
      new PutCommand({ TableName: 'Groups', Item: { id: 'g1', name: 'kept' } }),
    )
    before.client.destroy()
    await first.close()

    const second = await startLocalDynamoDb({
      host: '127.0.0.1',
      port: 0,
      storage: { kind: 'disk', dir: data },
    })
    const afterRestart = clientsFor(second.endpoint)
    try {
      const tables = await createTablesFromResources(afterRestart.client, [groupsTableResource('Groups')])
      const { Item } = await afterRestart.documentClient.send(
        new GetCommand({ TableName: 'Groups', Key: { id: 'g1' } }),
      )

      assert.deepEqual(tables, { created: [], existing: ['Groups'] })
      assert.deepEqual(Item, { id: 'g1', name: 'kept' })
    } finally {
      afterRestart.client.destroy()
      await second.close()
    }
  })

  it('fails to start, saying why, while another process holds the same folder', async () => {
    const data = join(dir, 'locked')
    const holder = await startLocalDynamoDb({
      host: '127.0.0.1',
      port: 0,
      storage: { kind: 'disk', dir: data },
    })
    try {
      await assert.rejects(
        startLocalDynamoDb({ host: '127.0.0.1', port: 0, storage: { kind: 'disk', dir: data } }),
        /cannot open the LevelDB folder .*locked/,
      )
    } finally {
      await holder.close()
    }
  })

  it('fails to start, saying why, when the port is taken', async () => {
    const holder = await startLocalDynamoDb({ host: '127.0.0.1', port: 0, storage: { kind: 'memory' } })
    try {
      const port = Number(new URL(holder.endpoint).port)
      await assert.rejects(
        startLocalDynamoDb({ host: '127.0.0.1', port, storage: { kind: 'memory' } }),
        /dynalite failed to start: .*EADDRINUSE/,
      )
    } finally {
      await holder.close()
    }
  })

  it('exits by itself, flushing its data, when the parent process dies', async () => {
    const data = join(dir, 'orphan')
    const parent = spawn(process.execPath, ['--input-type=module', '--eval', parentScript(data)], {
      cwd: new URL('../../..', import.meta.url),
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const [line] = (await once(createInterface({ input: parent.stdout }), 'line')) as [string]
    const { pid } = JSON.parse(line) as { pid: number }

    parent.kill('SIGKILL')

    const gone = await waitUntilGone(pid)
    // Do not leave an orphan holding the folder (and this test's stderr) when the assertion fails.
    if (!gone) process.kill(pid, 'SIGKILL')
    assert.equal(gone, true, `dynalite process ${pid} outlived its parent`)
    const restarted = await startLocalDynamoDb({
      host: '127.0.0.1',
      port: 0,
      storage: { kind: 'disk', dir: data },
    })
    const { client, documentClient } = clientsFor(restarted.endpoint)
    try {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: 'Groups', Key: { id: 'orphaned' } }),
      )
      assert.deepEqual(Item, { id: 'orphaned', name: 'flushed' })
    } finally {
      client.destroy()
      await restarted.close()
    }
  })
})
