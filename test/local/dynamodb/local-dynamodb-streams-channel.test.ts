import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { startLocalDynamoDb } from '#local/dynamodb/start-local-dynamodb.ts'

/** Starts DynamoDB, asks its streams once, listens to them, then has nothing left to do. */
function idleParentScript(): string {
  const url = JSON.stringify(
    new URL('../../../src/local/dynamodb/start-local-dynamodb.ts', import.meta.url).href,
  )
  return `
    import { startLocalDynamoDb } from ${url}
    const db = await startLocalDynamoDb({ host: '127.0.0.1', port: 0, storage: { kind: 'memory' } })
    const streams = await db.streams.streams()
    db.streams.onAppend(() => {})
    console.log(JSON.stringify({ pid: db.pid, streams }))
  `
}

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

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 250 && isRunning(pid); attempt++) await sleep(20)
  return !isRunning(pid)
}

describe("the local DynamoDB's stream channel", () => {
  it('does not keep an idle parent alive once its requests are answered', async () => {
    const parent = spawn(process.execPath, ['--input-type=module', '--eval', idleParentScript()], {
      cwd: new URL('../../..', import.meta.url),
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    parent.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const killer = setTimeout(() => parent.kill('SIGKILL'), 10_000)

    const [code, signal] = (await once(parent, 'exit')) as [number | null, NodeJS.Signals | null]
    clearTimeout(killer)

    const { pid, streams } = JSON.parse(output) as { pid: number; streams: unknown[] }
    const childGone = await waitUntilGone(pid)
    if (!childGone) process.kill(pid, 'SIGKILL')
    assert.deepEqual([code, signal], [0, null], 'the parent exited by itself')
    assert.deepEqual(streams, [])
    assert.equal(childGone, true, 'dynalite exited after its parent')
  })

  it('refuses stream requests once closed, and ignores trims', async () => {
    const dynamoDb = await startLocalDynamoDb({ host: '127.0.0.1', port: 0, storage: { kind: 'memory' } })

    await dynamoDb.close()

    await assert.rejects(dynamoDb.streams.streams(), /local DynamoDB streams: local DynamoDB is closed/)
    await assert.rejects(dynamoDb.streams.read('Any', undefined, 10), /closed/)
    assert.doesNotThrow(() => dynamoDb.streams.trim('Any', '1'))
  })
})
